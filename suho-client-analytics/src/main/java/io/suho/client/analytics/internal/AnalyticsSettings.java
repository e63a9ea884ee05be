package io.suho.client.analytics.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.time.Duration;
import java.util.List;

/**
 * The analytics (ClickHouse) module's settings, read and validated once from the resolved configuration. Every key
 * the module reads beyond the shared {@code suho.analytics.*} ones is declared here, typed, with its one default.
 * Immutable; {@link #toString()} leaves the password out.
 *
 * @param hosts ClickHouse HTTP endpoints
 * @param tls use {@code https://}
 * @param database default database
 * @param user user name
 * @param password password, empty when none
 * @param maxConnections largest number of pooled HTTP connections
 * @param connectTimeout TCP connect timeout, at most the store timeout
 * @param pointTimeout whole-call timeout of point operations
 * @param connectionTtl longest a pooled connection is reused
 */
record AnalyticsSettings(List<HostPort> hosts, boolean tls, String database, String user, Secret password,
        int maxConnections, Duration connectTimeout, Duration pointTimeout, Duration connectionTtl) {

    private static final Store S = Store.ANALYTICS;
    private static final String P = S.keyPrefix();

    static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.integer(P + "pool.max-connections",
            "Largest number of pooled HTTP connections to ClickHouse.", 10, 1, 1000);
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration(P + "connect-timeout",
            "TCP connect timeout (the store timeout when shorter).", Duration.ofSeconds(1));
    /** Whole-call budget of point operations: a hung server is given up on well within the drill's 1 s. */
    static final ConfigKey<Duration> POINT_TIMEOUT = positiveDuration(P + "point-timeout",
            "Whole-call timeout of point operations (QueryOptions.point(), InsertOptions.point()), retries included;"
                    + " capped at suho.analytics.timeout.", Duration.ofMillis(600));
    /**
     * ClickHouse keeps answering on open keep-alive connections while it stops gracefully: a connection older than
     * this is not reused, so callers see the stop (a refused connect) within about this long — 500 ms keeps the first
     * failure of a graceful stop under the 1 s promise of docs/resilience.md at the cost of a new loopback/LAN
     * connection twice a second per pooled connection.
     */
    static final ConfigKey<Duration> CONNECTION_TTL = positiveDuration(P + "pool.connection-ttl",
            "Longest a pooled HTTP connection is reused, so a gracefully stopping server is seen within about this"
                    + " long.", Duration.ofMillis(500));

    private static ConfigKey<Duration> positiveDuration(String name, String description, Duration defaultValue) {
        ConfigKey<Duration> plain = ConfigKey.duration(name, description, defaultValue);
        return ConfigKey.custom(name, description, text -> {
            Duration d = plain.parse(text);
            if (d.isZero()) {
                throw new IllegalArgumentException("expected a positive duration such as 1s");
            }
            return d;
        }, plain::format, defaultValue);
    }

    static List<ConfigKey<?>> keys() {
        return List.of(MAX_CONNECTIONS, CONNECT_TIMEOUT, POINT_TIMEOUT, CONNECTION_TTL);
    }

    /**
     * Reads and checks the settings; the connect timeout is capped at {@code storeTimeout}.
     *
     * @throws io.suho.client.core.ConfigurationException naming the key of a missing or invalid value
     */
    static AnalyticsSettings read(SuhoConfig c, Duration storeTimeout) {
        return read(c, storeTimeout, c.get(StoreKeys.hostsKey(S)));
    }

    /** Checks every value that is set, as {@link #read} would, without requiring {@code hosts}. */
    static void validate(SuhoConfig c, Duration storeTimeout) {
        read(c, storeTimeout, c.optional(StoreKeys.hostsKey(S)).orElse(List.of()));
    }

    private static AnalyticsSettings read(SuhoConfig c, Duration storeTimeout, List<HostPort> hosts) {
        Duration connect = c.get(CONNECT_TIMEOUT);
        if (connect.compareTo(storeTimeout) > 0) {
            connect = storeTimeout;
        }
        return new AnalyticsSettings(hosts, c.get(StoreKeys.tlsKey(S)), c.get(StoreKeys.databaseKey(S)),
                c.get(StoreKeys.userKey(S)), c.optional(StoreKeys.passwordKey(S)).orElse(null),
                c.get(MAX_CONNECTIONS), connect, c.get(POINT_TIMEOUT), c.get(CONNECTION_TTL));
    }

    /** The password for the driver: empty when none is set. */
    String passwordText() {
        return password == null ? "" : password.reveal();
    }

    @Override
    public String toString() {
        return "AnalyticsSettings[hosts=" + hosts + ", tls=" + tls + ", database=" + database + ", user=" + user
                + ", pool=" + maxConnections + "]";
    }
}
