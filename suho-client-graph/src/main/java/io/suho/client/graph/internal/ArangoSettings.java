package io.suho.client.graph.internal;

import com.arangodb.Protocol;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.ConfigSource;
import io.suho.client.core.ConfigValue;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The graph module's settings, read and validated once at start: hosts (the driver fails over between them), TLS,
 * credentials, database, wire protocol, connection cap and cursor batching. Its keys are declared here, typed, each
 * with its one default. Immutable; {@link #toString()} masks
 * the password.
 *
 * @param hosts coordinators or the single server
 * @param tls use TLS
 * @param caFile PEM file of the CA(s) the server certificate must chain to, empty for the JVM's trust store; used
 *        only with {@code tls}
 * @param keystore PKCS#12 keystore with the client certificate (mutual TLS), empty for none; used only with
 *        {@code tls}
 * @param keystorePassword its password, if any
 * @param user user name
 * @param password password, if any
 * @param database the database the client works in
 * @param protocol HTTP/2 (default) or HTTP/1.1, JSON bodies
 * @param maxConnections connections per host, or null for the driver default (1 for HTTP/2, 20 for HTTP/1.1)
 * @param timeout connect and request timeout handed to the driver
 * @param cursorBatchSize documents per batch of a streaming cursor
 * @param cursorTtl how long the server keeps an idle cursor
 */
public record ArangoSettings(List<HostPort> hosts, boolean tls, Optional<Path> caFile, Optional<Path> keystore,
        Optional<Secret> keystorePassword, String user, Optional<Secret> password,
        String database, Protocol protocol, Integer maxConnections, Duration timeout, int cursorBatchSize,
        Duration cursorTtl) {

    private static final Store G = Store.GRAPH;

    static final ConfigKey<Protocol> PROTOCOL_KEY = ConfigKey.custom("suho.graph.protocol",
            "Wire protocol: http2 (multiplexed, default) or http1.", ArangoSettings::protocol,
            p -> p == Protocol.HTTP2_JSON ? "http2" : "http1", Protocol.HTTP2_JSON);
    static final ConfigKey<Integer> MAX_CONNECTIONS_KEY = ConfigKey.integer("suho.graph.max-connections",
            "Connections per host; empty = driver default (1 for http2, 20 for http1).", 1, 1000);
    static final ConfigKey<Integer> CURSOR_BATCH_SIZE_KEY = ConfigKey.integer("suho.graph.cursor.batch-size",
            "Documents per batch fetched by a streaming cursor (1..100000).", 1000, 1, 100_000);
    static final ConfigKey<Duration> CURSOR_TTL_KEY = ConfigKey.custom("suho.graph.cursor.ttl",
            "How long the server keeps an idle streaming cursor.", ArangoSettings::cursorTtl,
            d -> d.toSeconds() + "s", Duration.ofSeconds(60));

    static final ConfigKey<String> TLS_CA_FILE_KEY = ConfigKey.string("suho.graph.tls.ca-file", "PEM file of the CA"
            + " certificate(s) ArangoDB's certificate must chain to, with suho.graph.tls=true (default: the JVM's"
            + " trust store).", null).withEnvAliases("ARANGO_TLS_CA_FILE");
    static final ConfigKey<String> TLS_KEYSTORE_KEY = ConfigKey.string("suho.graph.tls.keystore", "PKCS#12 keystore"
            + " with this service's client certificate, for an ArangoDB that asks for one (mutual TLS), with"
            + " suho.graph.tls=true.", null).withEnvAliases("ARANGO_TLS_KEYSTORE");
    static final ConfigKey<Secret> TLS_KEYSTORE_PASSWORD_KEY = ConfigKey.secret("suho.graph.tls.keystore-password",
            "Password of suho.graph.tls.keystore.", "ARANGO_TLS_KEYSTORE_PASSWORD");

    public static final String PROTOCOL = PROTOCOL_KEY.name();
    public static final String TLS_CA_FILE = TLS_CA_FILE_KEY.name();
    public static final String TLS_KEYSTORE = TLS_KEYSTORE_KEY.name();
    public static final String TLS_KEYSTORE_PASSWORD = TLS_KEYSTORE_PASSWORD_KEY.name();
    public static final String MAX_CONNECTIONS = MAX_CONNECTIONS_KEY.name();
    public static final String CURSOR_BATCH_SIZE = CURSOR_BATCH_SIZE_KEY.name();
    public static final String CURSOR_TTL = CURSOR_TTL_KEY.name();

    /** The graph module's own keys, each with its one default. */
    public static List<ConfigKey<?>> keys() {
        return List.of(PROTOCOL_KEY, MAX_CONNECTIONS_KEY, CURSOR_BATCH_SIZE_KEY, CURSOR_TTL_KEY, TLS_CA_FILE_KEY,
                TLS_KEYSTORE_KEY, TLS_KEYSTORE_PASSWORD_KEY);
    }

    /**
     * Reads and checks the settings.
     *
     * @throws io.suho.client.core.ConfigurationException naming the key of a missing or invalid value
     */
    public static ArangoSettings from(SuhoConfig config, Duration timeout) {
        return from(config, timeout, config.get(StoreKeys.hostsKey(G)));
    }

    /** Checks every value that is set, as {@link #from} would, without requiring {@code hosts}. */
    static void validate(SuhoConfig config) {
        from(config, Duration.ofSeconds(1), config.optional(StoreKeys.hostsKey(G)).orElse(List.of()));
    }

    private static ArangoSettings from(SuhoConfig config, Duration timeout, List<HostPort> hosts) {
        ConfigKey<String> databaseKey = StoreKeys.databaseKey(G);
        String database = config.get(databaseKey);
        try {
            Identifiers.database(database);
        } catch (IllegalArgumentException e) {
            throw config.invalid(config.find(databaseKey.name()).orElse(new ConfigValue(databaseKey.name(), database,
                    ConfigSource.DEFAULT, null, false)), e.getMessage());
        }
        return new ArangoSettings(hosts, config.get(StoreKeys.tlsKey(G)), readableFile(config, TLS_CA_FILE_KEY,
                "the PEM file of the CA that signed ArangoDB's certificate"), readableFile(config, TLS_KEYSTORE_KEY,
                "the PKCS#12 file with this service's client certificate and key"),
                config.optional(TLS_KEYSTORE_PASSWORD_KEY), config.get(StoreKeys.userKey(G)),
                config.optional(StoreKeys.passwordKey(G)), database, config.get(PROTOCOL_KEY),
                config.optional(MAX_CONNECTIONS_KEY).orElse(null), timeout, config.get(CURSOR_BATCH_SIZE_KEY),
                config.get(CURSOR_TTL_KEY));
    }

    private static Optional<Path> readableFile(SuhoConfig config, ConfigKey<String> key, String what) {
        Optional<String> file = config.optional(key).map(String::trim).filter(t -> !t.isEmpty());
        if (file.isPresent() && !Files.isReadable(Path.of(file.get()))) {
            throw new ConfigurationException(key.name(), key.name() + " = " + file.get()
                    + " is not a readable file; fix: point it at " + what);
        }
        return file.map(Path::of);
    }

    private static Protocol protocol(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "http2", "http2_json", "h2" -> Protocol.HTTP2_JSON;
            case "http1", "http", "http_json", "http1.1" -> Protocol.HTTP_JSON;
            default -> throw new IllegalArgumentException("expected http2 or http1");
        };
    }

    private static Duration cursorTtl(String text) {
        Duration ttl = SuhoConfig.parseDuration(text);
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("expected at least 1s");
        }
        return ttl;
    }

    /** The timeout in whole milliseconds for the driver (at least 1). */
    public int timeoutMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public String toString() {
        return "ArangoSettings{" + hosts + (tls ? " tls" : "") + (tls && caFile.isPresent() ? " ca " + caFile.get() : "")
                + (tls && keystore.isPresent() ? " client-cert " + keystore.get() : "") + ", user " + user + ", password "
                + (password.isPresent() ? "****" : "none") + ", db " + database + ", " + protocol + ", timeout "
                + timeout + ", cursor " + cursorBatchSize + "/" + cursorTtl + "}";
    }
}
