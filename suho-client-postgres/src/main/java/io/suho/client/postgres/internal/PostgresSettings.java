package io.suho.client.postgres.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.HostWeights;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.ServerBalancer;
import io.suho.client.postgres.TimeSeries;
import java.time.Duration;
import java.util.List;

/**
 * The PostgreSQL module's settings, read and validated once from the resolved configuration. Every key of the module
 * is declared here with its one default; {@code replica.pool.max-size} defaults to {@code pool.max-size}. Immutable.
 */
record PostgresSettings(
        String serviceName,
        List<HostPort> hosts,
        List<HostPort> replicas,
        String database,
        String user,
        Secret password,
        boolean tls,
        int poolMaxSize,
        int poolMinIdle,
        int replicaPoolMaxSize,
        ServerBalancer.Policy replicaRouting,
        Duration replicaDecay,
        HostWeights replicaWeights,
        Duration poolMaxLifetime,
        Duration timeout,
        CallTimeouts timeouts,
        int txMaxRetries,
        Duration txMaxBackoff,
        boolean migrationsEnabled,
        List<String> migrationLocations,
        String migrationsTable,
        boolean migrationsBaselineOnMigrate,
        String migrationsBaselineVersion,
        boolean sdkMigrations,
        String timeSeriesMode,
        int partitionsAhead,
        boolean failoverEnabled,
        PostgresTls tlsSettings) {

    private static final Store S = Store.POSTGRES;
    private static final String P = S.keyPrefix();

    static final ConfigKey<Integer> POOL_MAX = ConfigKey.integer(P + "pool.max-size", "Largest primary pool size per"
            + " client (the seed's max_connections 200 is shared by every service instance).", 10, 1, 1000);
    static final ConfigKey<Integer> POOL_MIN_IDLE = ConfigKey.integer(P + "pool.min-idle",
            "Idle connections the pool keeps open.", 2, 0, 1000);
    static final ConfigKey<Duration> POOL_MAX_LIFETIME = ConfigKey.duration(P + "pool.max-lifetime",
            "Largest age of a pooled connection before it is replaced.", Duration.ofMinutes(30));
    static final ConfigKey<List<HostPort>> REPLICAS = ConfigKey.hosts(P + "replicas", "Comma-separated host:port list"
            + " of read replicas for reading() (empty: reads go to the primary).", StoreKeys.defaultPort(S))
            .withDefault(List.of());
    static final ConfigKey<Integer> REPLICA_POOL_MAX = ConfigKey.integer(P + "replica.pool.max-size",
            "Largest pool size per replica (default: " + POOL_MAX.name() + ").", 1, 1000).withDefaultFrom(POOL_MAX);
    static final ConfigKey<String> REPLICA_ROUTING = ConfigKey.oneOf(P + "replica.routing", "How reading() picks a"
            + " replica: latency (power of two choices over each replica's recent latency and calls in flight,"
            + " honouring replica.weights) or round-robin.", "latency", "latency", "round-robin");
    static final ConfigKey<Duration> REPLICA_DECAY = ConfigKey.duration(P + "replica.latency-decay", "Time constant"
            + " of a replica's latency estimate: a call's latency counts 1/e as much this long after it, so an idle"
            + " replica's old estimate fades and it is tried again.", Duration.ofSeconds(10), Duration.ofMillis(100),
            Duration.ofHours(1));
    static final ConfigKey<HostWeights> REPLICA_WEIGHTS = ConfigKey.custom(P + "replica.weights", "Per-replica"
            + " weights, host:port=weight[,…] (unlisted replicas weigh 1; 0 drains a replica: no new reads; 2 takes"
            + " about twice the load at equal latency). The hub's catalog can set it (POSTGRES_REPLICA_WEIGHTS);"
            + " a local value wins.", text -> HostWeights.parse(text, StoreKeys.defaultPort(S)), HostWeights::toString,
            HostWeights.NONE);
    /** Empty: derived from the store timeout; {@code 0}: none; otherwise a duration. */
    static final ConfigKey<Duration> STATEMENT_TIMEOUT = ConfigKey.custom(P + "statement-timeout",
            "Server-side statement_timeout set on every pooled connection (empty: the store timeout less two margins"
                    + " of a tenth each, e.g. 800ms of 1s, so the server cancels a slow statement before the socket"
                    + " gives up; 0: none).",
            text -> text.trim().equals("0") ? Duration.ZERO : SuhoConfig.parseDuration(text),
            d -> d.isZero() ? "0" : d.toMillis() + "ms", null);
    static final ConfigKey<Integer> TX_MAX_RETRIES = ConfigKey.integer(P + "tx.max-retries", "Retries of a whole"
            + " inTransaction block after a serialization failure or deadlock (40001/40P01).", 5, 0, 100);
    static final ConfigKey<Duration> TX_MAX_BACKOFF = ConfigKey.duration(P + "tx.max-backoff",
            "Largest jittered backoff between transaction retries.", Duration.ofMillis(200));
    static final ConfigKey<Boolean> MIGRATIONS_ENABLED = ConfigKey.bool(P + "migrations.enabled",
            "Run the application's Flyway migrations at start.", false);
    static final ConfigKey<String> MIGRATIONS_LOCATIONS = ConfigKey.string(P + "migrations.locations",
            "Comma-separated Flyway locations of the application's migrations.", "classpath:db/migration");
    static final ConfigKey<String> MIGRATIONS_TABLE = ConfigKey.string(P + "migrations.table",
            "Flyway history table of the application's migrations.", "flyway_schema_history");
    static final ConfigKey<Boolean> MIGRATIONS_BASELINE = ConfigKey.bool(P + "migrations.baseline-on-migrate",
            "Flyway baselineOnMigrate for the application's migrations: a schema that already has tables (a shared"
                    + " database: other services', the SDK's suho_outbox) but not this application's history table is"
                    + " baselined at migrations.baseline-version (0: every script still runs) instead of refused.",
            true);
    static final ConfigKey<String> MIGRATIONS_BASELINE_VERSION = ConfigKey.string(P + "migrations.baseline-version",
            "Version an existing schema is baselined at (0: every application migration still runs).", "0");
    static final ConfigKey<Boolean> SDK_MIGRATIONS = ConfigKey.bool(P + "sdk-migrations.enabled", "Create the SDK's"
            + " own table (suho_outbox) with Flyway on the outbox's first use (never at start), history in"
            + " suho_sdk_schema_history; false: never (create it yourself).", true);
    static final ConfigKey<String> TS_MODE = ConfigKey.oneOf(P + "timeseries.mode", "Time-series storage: auto"
            + " (timescale when the extension is installed), timescale or native.", "auto", "auto", "timescale",
            "native");
    static final ConfigKey<Integer> TS_AHEAD = ConfigKey.integer(P + "timeseries.partitions-ahead",
            "Days of native partitions created ahead of now.", 7, 0, 366);
    static final ConfigKey<Boolean> FAILOVER = ConfigKey.bool(P + "failover.enabled",
            "Re-resolve the primary when it stops answering or turns read-only.", true);

    static List<ConfigKey<?>> keys() {
        return List.of(POOL_MAX, POOL_MIN_IDLE, POOL_MAX_LIFETIME, REPLICAS, REPLICA_POOL_MAX, REPLICA_ROUTING,
                REPLICA_DECAY, REPLICA_WEIGHTS, STATEMENT_TIMEOUT,
                TX_MAX_RETRIES, TX_MAX_BACKOFF, MIGRATIONS_ENABLED, MIGRATIONS_LOCATIONS, MIGRATIONS_TABLE,
                MIGRATIONS_BASELINE, MIGRATIONS_BASELINE_VERSION, SDK_MIGRATIONS, TS_MODE, TS_AHEAD, FAILOVER,
                PostgresTls.MODE, PostgresTls.ROOT_CERT, PostgresTls.CERT, PostgresTls.KEY);
    }

    /**
     * Reads and checks the settings.
     *
     * @throws io.suho.client.core.ConfigurationException naming the key of a missing or invalid value
     */
    static PostgresSettings read(SuhoConfig c, String serviceName, ResilienceConfig resilience) {
        return read(c, serviceName, resilience, c.get(StoreKeys.hostsKey(S)));
    }

    /**
     * Checks every value that is set, as {@link #read} would, without requiring {@code hosts} (they may come from the
     * hub later, or the store may never be used).
     */
    static void validate(SuhoConfig c, ResilienceConfig resilience) {
        read(c, "validation", resilience, c.optional(StoreKeys.hostsKey(S)).orElse(List.of()));
    }

    private static PostgresSettings read(SuhoConfig c, String serviceName, ResilienceConfig resilience,
            List<HostPort> hosts) {
        int max = c.get(POOL_MAX);
        int minIdle = c.get(POOL_MIN_IDLE);
        if (minIdle > max) {
            throw c.invalid(c.find(POOL_MIN_IDLE.name()).orElseThrow(), "at most " + POOL_MAX.name() + " (" + max + ")");
        }
        Duration statementTimeout = c.optional(STATEMENT_TIMEOUT).orElse(null); // unset: derived from the timeout
        List<String> locations = List.of(c.get(MIGRATIONS_LOCATIONS).split("\\s*,\\s*"));
        return new PostgresSettings(serviceName, hosts, c.get(REPLICAS),
                c.get(StoreKeys.databaseKey(S)),
                c.get(StoreKeys.userKey(S)),
                c.optional(StoreKeys.passwordKey(S)).orElse(null),
                c.get(StoreKeys.tlsKey(S)),
                max, minIdle, c.get(REPLICA_POOL_MAX),
                c.get(REPLICA_ROUTING).equals("latency") ? ServerBalancer.Policy.LATENCY
                        : ServerBalancer.Policy.ROUND_ROBIN,
                c.get(REPLICA_DECAY), c.get(REPLICA_WEIGHTS),
                c.get(POOL_MAX_LIFETIME),
                resilience.timeout(), CallTimeouts.of(resilience.timeout(), statementTimeout),
                c.get(TX_MAX_RETRIES),
                c.get(TX_MAX_BACKOFF),
                c.get(MIGRATIONS_ENABLED), locations,
                c.get(MIGRATIONS_TABLE),
                c.get(MIGRATIONS_BASELINE),
                c.get(MIGRATIONS_BASELINE_VERSION),
                c.get(SDK_MIGRATIONS),
                c.get(TS_MODE), c.get(TS_AHEAD),
                c.get(FAILOVER),
                PostgresTls.read(c, c.get(StoreKeys.tlsKey(S))));
    }

    /**
     * A JDBC URL for one host, without credentials or parameters: TLS and every other driver setting go as
     * {@link java.util.Properties} ({@link PostgresTls#apply}), and the database name is validated by its key
     * ({@code [A-Za-z0-9_]}), so nothing can be smuggled into the URL.
     */
    String jdbcUrl(HostPort host) {
        return "jdbc:postgresql://" + host + "/" + java.net.URLEncoder.encode(database,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PostgresSettings[hosts=" + hosts + ", replicas=" + replicas + ", database=" + database + ", user=" + user
                + ", pool=" + poolMaxSize + "]";
    }
}
