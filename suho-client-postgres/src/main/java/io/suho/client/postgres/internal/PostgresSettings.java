package io.suho.client.postgres.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigValue;
import io.suho.client.core.HostPort;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.postgres.TimeSeries;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The PostgreSQL module's settings, read and validated once from the resolved configuration. Immutable. */
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
        boolean failoverEnabled) {

    static final String P = Store.POSTGRES.keyPrefix();
    static final String POOL_MAX = P + "pool.max-size";
    static final String POOL_MIN_IDLE = P + "pool.min-idle";
    static final String POOL_MAX_LIFETIME = P + "pool.max-lifetime";
    static final String REPLICAS = P + "replicas";
    static final String REPLICA_POOL_MAX = P + "replica.pool.max-size";
    static final String STATEMENT_TIMEOUT = P + "statement-timeout";
    static final String TX_MAX_RETRIES = P + "tx.max-retries";
    static final String TX_MAX_BACKOFF = P + "tx.max-backoff";
    static final String MIGRATIONS_ENABLED = P + "migrations.enabled";
    static final String MIGRATIONS_LOCATIONS = P + "migrations.locations";
    static final String MIGRATIONS_TABLE = P + "migrations.table";
    static final String MIGRATIONS_BASELINE = P + "migrations.baseline-on-migrate";
    static final String MIGRATIONS_BASELINE_VERSION = P + "migrations.baseline-version";
    static final String SDK_MIGRATIONS = P + "sdk-migrations.enabled";
    static final String TS_MODE = P + "timeseries.mode";
    static final String TS_AHEAD = P + "timeseries.partitions-ahead";
    static final String FAILOVER = P + "failover.enabled";

    static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.of(POOL_MAX, "Largest primary pool size per client (the seed's max_connections 200 is shared"
                        + " by every service instance).", "10"),
                ConfigKey.of(POOL_MIN_IDLE, "Idle connections the pool keeps open.", "2"),
                ConfigKey.of(POOL_MAX_LIFETIME, "Largest age of a pooled connection before it is replaced.", "30m"),
                ConfigKey.of(REPLICAS, "Comma-separated host:port list of read replicas for reading() (empty: reads"
                        + " go to the primary).", ""),
                ConfigKey.of(REPLICA_POOL_MAX, "Largest pool size per replica.", "10"),
                ConfigKey.of(STATEMENT_TIMEOUT, "Server-side statement_timeout set on every pooled connection"
                        + " (empty: the store timeout less two margins of a tenth each, e.g. 800ms of 1s, so the"
                        + " server cancels a slow statement before the socket gives up; 0: none).", ""),
                ConfigKey.of(TX_MAX_RETRIES, "Retries of a whole inTransaction block after a serialization failure"
                        + " or deadlock (40001/40P01).", "5"),
                ConfigKey.of(TX_MAX_BACKOFF, "Largest jittered backoff between transaction retries.", "200ms"),
                ConfigKey.of(MIGRATIONS_ENABLED, "Run the application's Flyway migrations at start.", "false"),
                ConfigKey.of(MIGRATIONS_LOCATIONS, "Comma-separated Flyway locations of the application's"
                        + " migrations.", "classpath:db/migration"),
                ConfigKey.of(MIGRATIONS_TABLE, "Flyway history table of the application's migrations.",
                        "flyway_schema_history"),
                ConfigKey.of(MIGRATIONS_BASELINE, "Flyway baselineOnMigrate for the application's migrations (needed"
                        + " when the schema already has tables, e.g. the SDK's suho_outbox).", "false"),
                ConfigKey.of(MIGRATIONS_BASELINE_VERSION, "Version an existing schema is baselined at (0: every"
                        + " application migration still runs).", "0"),
                ConfigKey.of(SDK_MIGRATIONS, "Create the SDK's own tables (suho_outbox) with Flyway at start, history"
                        + " in suho_sdk_schema_history.", "true"),
                ConfigKey.of(TS_MODE, "Time-series storage: auto (timescale when the extension is installed),"
                        + " timescale or native.", "auto"),
                ConfigKey.of(TS_AHEAD, "Days of native partitions created ahead of now.", "7"),
                ConfigKey.of(FAILOVER, "Re-resolve the primary when it stops answering or turns read-only.", "true"));
    }

    static PostgresSettings read(SuhoConfig c, String serviceName, ResilienceConfig resilience) {
        Store s = Store.POSTGRES;
        List<HostPort> replicas = List.of();
        var replicaValue = c.find(REPLICAS).filter(v -> !v.value().isBlank());
        if (replicaValue.isPresent()) {
            try {
                replicas = HostPort.parseList(replicaValue.get().value(), StoreKeys.defaultPort(s));
            } catch (IllegalArgumentException e) {
                throw c.invalid(replicaValue.get(), e.getMessage() + "; expected host:port[,host:port…]");
            }
        }
        int max = c.intValue(POOL_MAX, 10, 1, 1000);
        int minIdle = c.intValue(POOL_MIN_IDLE, 2, 0, 1000);
        if (minIdle > max) {
            throw c.invalid(c.find(POOL_MIN_IDLE).orElseThrow(), "at most " + POOL_MAX + " (" + max + ")");
        }
        Duration statementTimeout = null; // unset: derived from the store timeout
        var st = c.find(STATEMENT_TIMEOUT).filter(v -> !v.value().isBlank());
        if (st.isPresent()) {
            statementTimeout = st.get().value().trim().equals("0") ? Duration.ZERO
                    : c.duration(STATEMENT_TIMEOUT, resilience.timeout());
        }
        String mode = c.get(TS_MODE, "auto").trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("timescale") && !mode.equals("native")) {
            ConfigValue v = c.find(TS_MODE).orElseThrow();
            throw c.invalid(v, "auto, timescale or native");
        }
        List<String> locations = List.of(c.get(MIGRATIONS_LOCATIONS, "classpath:db/migration").split("\\s*,\\s*"));
        return new PostgresSettings(serviceName, c.hosts(s), replicas,
                c.get(StoreKeys.database(s), "suho_trading"),
                c.get(StoreKeys.user(s), "postgres"),
                c.secret(StoreKeys.password(s)).orElse(null),
                c.bool(StoreKeys.tls(s), false),
                max, minIdle, c.intValue(REPLICA_POOL_MAX, max, 1, 1000),
                c.duration(POOL_MAX_LIFETIME, Duration.ofMinutes(30)),
                resilience.timeout(), CallTimeouts.of(resilience.timeout(), statementTimeout),
                c.intValue(TX_MAX_RETRIES, 5, 0, 100),
                c.duration(TX_MAX_BACKOFF, Duration.ofMillis(200)),
                c.bool(MIGRATIONS_ENABLED, false), locations,
                c.get(MIGRATIONS_TABLE, "flyway_schema_history"),
                c.bool(MIGRATIONS_BASELINE, false),
                c.get(MIGRATIONS_BASELINE_VERSION, "0"),
                c.bool(SDK_MIGRATIONS, true),
                mode, c.intValue(TS_AHEAD, 7, 0, 366),
                c.bool(FAILOVER, true));
    }

    /** A JDBC URL for one host, without credentials. */
    String jdbcUrl(HostPort host) {
        return "jdbc:postgresql://" + host + "/" + database + (tls ? "?sslmode=require" : "");
    }

    @Override
    public String toString() {
        return "PostgresSettings[hosts=" + hosts + ", replicas=" + replicas + ", database=" + database + ", user=" + user
                + ", pool=" + poolMaxSize + "]";
    }
}
