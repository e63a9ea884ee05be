package io.suho.client.cache.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.time.Duration;
import java.util.List;

/**
 * The cache module's settings, read and validated once from the resolved configuration. Every key the module reads
 * beyond the shared {@code suho.cache.*} ones is declared here, typed, with its one default. Immutable.
 *
 * @param hosts the servers, tried in order until one accepts a connection
 * @param tls connect with TLS
 * @param tlsVerifyPeer with TLS: verify the server certificate and host name
 * @param user ACL user, or {@code null} for the default user
 * @param password AUTH password, or {@code null}
 * @param database logical database index ({@code SELECT})
 * @param namespace prefix of every key ({@code <namespace>:<key>})
 * @param keyMaxLength longest key accepted, without the namespace
 * @param fallbackToLoader {@code getOrLoad} answers from the loader when the cache is unavailable
 * @param reconnectMaxDelay cap of the reconnect delay
 * @param connectTimeout TCP connect timeout
 * @param sessionTtl sliding lifetime of a session
 * @param pricesNotify publish each price batch on {@code <namespace>:prices}
 * @param commandLatencyMetrics record Lettuce's command latency timers
 */
record CacheSettings(List<HostPort> hosts, boolean tls, boolean tlsVerifyPeer, String user, Secret password,
        int database, String namespace, int keyMaxLength, boolean fallbackToLoader, Duration reconnectMaxDelay,
        Duration connectTimeout, Duration sessionTtl, boolean pricesNotify, boolean commandLatencyMetrics) {

    private static final Store S = Store.CACHE;
    private static final String P = S.keyPrefix();
    /** First reconnect delay (before jitter), and the smallest accepted cap. */
    static final Duration MIN_RECONNECT_DELAY = Duration.ofMillis(10);

    static final ConfigKey<String> NAMESPACE = ConfigKey.string(P + "namespace",
            "Prefix of every cache key (user keys <namespace>:k:<key>, sessions/locks/rate limits/prices"
                    + " <namespace>:<kind>:...); empty means the service name.", null);
    static final ConfigKey<Integer> DATABASE = ConfigKey.integer(P + "database",
            "Logical database index (SELECT) on the server.", 0, 0, 1024);
    static final ConfigKey<Integer> KEY_MAX_LENGTH = ConfigKey.integer(P + "key.max-length",
            "Longest key accepted, in characters, without the namespace.", 1024, 1, 65_536);
    static final ConfigKey<Boolean> FALLBACK_TO_LOADER = ConfigKey.bool(P + "fallback-to-loader", "getOrLoad returns"
            + " the loader's result (uncached) when the store is unavailable instead of failing.", false);
    static final ConfigKey<Duration> RECONNECT_MAX_DELAY = ConfigKey.duration(P + "reconnect.max-delay",
            "Largest delay between reconnect attempts after the connection drops (kept short so calls succeed soon"
                    + " after the server is back). The delay doubles from 10ms with the SDK's ±50% jitter, its base"
                    + " capped at 2/3 of this value.",
            Duration.ofMillis(200), MIN_RECONNECT_DELAY, Duration.ofMinutes(1));
    static final ConfigKey<Duration> CONNECT_TIMEOUT = ConfigKey.duration(P + "connect-timeout",
            "TCP connect timeout.", Duration.ofSeconds(1));
    static final ConfigKey<Boolean> TLS_VERIFY_PEER = ConfigKey.bool(P + "tls.verify-peer",
            "With suho.cache.tls=true: verify the server certificate and host.", true);
    static final ConfigKey<String> TLS_CA_FILE = ConfigKey.string(P + "tls.ca-file", "PEM file of the CA"
            + " certificate(s) the server's certificate must chain to, with suho.cache.tls=true (default: the JVM's"
            + " trust store).", null).withEnvAliases("DRAGONFLY_TLS_CA_FILE");
    static final ConfigKey<Duration> SESSION_TTL = ConfigKey.duration(P + "session.ttl",
            "Sliding lifetime of a session after its last touch.", Duration.ofMinutes(30));
    static final ConfigKey<Boolean> PRICES_NOTIFY = ConfigKey.bool(P + "prices.notify",
            "Publish each price batch on the <namespace>:prices channel.", false);
    static final ConfigKey<Boolean> COMMAND_LATENCY_METRICS = ConfigKey.bool(P + "metrics.command-latency",
            "Record Lettuce's lettuce.command.completion and lettuce.command.firstresponse timers in the meter"
                    + " registry.", true);

    static List<ConfigKey<?>> keys() {
        return List.of(NAMESPACE, DATABASE, KEY_MAX_LENGTH, FALLBACK_TO_LOADER, RECONNECT_MAX_DELAY, CONNECT_TIMEOUT,
                TLS_VERIFY_PEER, TLS_CA_FILE, SESSION_TTL, PRICES_NOTIFY, COMMAND_LATENCY_METRICS);
    }

    /**
     * Reads and checks the settings; the namespace defaults to {@code serviceName}.
     *
     * @throws io.suho.client.core.ConfigurationException naming the key of a missing or invalid value
     */
    static CacheSettings read(SuhoConfig c, String serviceName) {
        return read(c, serviceName, c.get(StoreKeys.hostsKey(S)));
    }

    /** Checks every value that is set, as {@link #read} would, without requiring {@code hosts}. */
    static void validate(SuhoConfig c) {
        read(c, "validation", c.optional(StoreKeys.hostsKey(S)).orElse(List.of()));
        caFile(c);
    }

    private static CacheSettings read(SuhoConfig c, String serviceName, List<HostPort> hosts) {
        return new CacheSettings(hosts,
                c.get(StoreKeys.tlsKey(S)),
                c.get(TLS_VERIFY_PEER),
                c.optional(StoreKeys.userKey(S)).orElse(null),
                c.optional(StoreKeys.passwordKey(S)).filter(s -> !s.isEmpty()).orElse(null),
                c.get(DATABASE),
                c.optional(NAMESPACE).orElse(serviceName),
                c.get(KEY_MAX_LENGTH),
                c.get(FALLBACK_TO_LOADER),
                c.get(RECONNECT_MAX_DELAY),
                c.get(CONNECT_TIMEOUT),
                c.get(SESSION_TTL),
                c.get(PRICES_NOTIFY),
                c.get(COMMAND_LATENCY_METRICS));
    }

    @Override
    public String toString() {
        return "CacheSettings[hosts=" + hosts + ", tls=" + tls + ", user=" + user + ", database=" + database
                + ", namespace=" + namespace + "]";
    }

    /** The configured CA file, checked readable; {@code null} when unset. */
    static java.io.File caFile(SuhoConfig c) {
        String ca = c.optional(TLS_CA_FILE).map(String::trim).orElse(null);
        if (ca == null) {
            return null;
        }
        java.io.File f = new java.io.File(ca);
        if (!f.canRead()) {
            throw new io.suho.client.core.ConfigurationException(TLS_CA_FILE.name(), TLS_CA_FILE.name() + " = " + ca
                    + " is not a readable file; fix: point it at the PEM file of the server's CA");
        }
        return f;
    }
}
