package io.suho.client.graph.internal;

import com.arangodb.Protocol;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The graph module's settings, read and validated once at start: hosts (the driver fails over between them), TLS,
 * credentials, database, wire protocol, connection cap and cursor batching. Immutable; {@link #toString()} masks
 * the password.
 *
 * @param hosts coordinators or the single server
 * @param tls use TLS
 * @param user user name
 * @param password password, if any
 * @param database the database the client works in
 * @param protocol HTTP/2 (default) or HTTP/1.1, JSON bodies
 * @param maxConnections connections per host, or null for the driver default (1 for HTTP/2, 20 for HTTP/1.1)
 * @param timeout connect and request timeout handed to the driver
 * @param cursorBatchSize documents per batch of a streaming cursor
 * @param cursorTtl how long the server keeps an idle cursor
 */
public record ArangoSettings(List<HostPort> hosts, boolean tls, String user, Optional<Secret> password,
        String database, Protocol protocol, Integer maxConnections, Duration timeout, int cursorBatchSize,
        Duration cursorTtl) {

    public static final String PROTOCOL = "suho.graph.protocol";
    public static final String MAX_CONNECTIONS = "suho.graph.max-connections";
    public static final String CURSOR_BATCH_SIZE = "suho.graph.cursor.batch-size";
    public static final String CURSOR_TTL = "suho.graph.cursor.ttl";

    public static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.of(PROTOCOL, "Wire protocol: http2 (multiplexed, default) or http1.", "http2"),
                ConfigKey.of(MAX_CONNECTIONS, "Connections per host; empty = driver default (1 for http2, 20 for"
                        + " http1).", null),
                ConfigKey.of(CURSOR_BATCH_SIZE, "Documents per batch fetched by a streaming cursor (1..100000).",
                        "1000"),
                ConfigKey.of(CURSOR_TTL, "How long the server keeps an idle streaming cursor.", "60s"));
    }

    public static ArangoSettings from(SuhoConfig config, Duration timeout) {
        Store g = Store.GRAPH;
        List<HostPort> hosts = config.hosts(g);
        boolean tls = config.bool(StoreKeys.tls(g), false);
        String user = config.get(StoreKeys.user(g), "root");
        Optional<Secret> password = config.secret(StoreKeys.password(g));
        String database = config.get(StoreKeys.database(g), "suho_graph");
        try {
            Identifiers.database(database);
        } catch (IllegalArgumentException e) {
            throw config.invalid(config.find(StoreKeys.database(g)).orElseThrow(), e.getMessage());
        }
        Protocol protocol = protocol(config);
        Integer maxConnections = config.get(MAX_CONNECTIONS).isPresent()
                ? config.intValue(MAX_CONNECTIONS, 1, 1, 1000) : null;
        int batch = config.intValue(CURSOR_BATCH_SIZE, 1000, 1, 100_000);
        Duration ttl = config.duration(CURSOR_TTL, Duration.ofSeconds(60));
        if (ttl.toSeconds() < 1) {
            throw config.invalid(config.find(CURSOR_TTL).orElseThrow(), "expected at least 1s");
        }
        return new ArangoSettings(hosts, tls, user, password, database, protocol, maxConnections, timeout, batch,
                ttl);
    }

    private static Protocol protocol(SuhoConfig config) {
        String p = config.get(PROTOCOL, "http2").trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "http2", "http2_json", "h2" -> Protocol.HTTP2_JSON;
            case "http1", "http", "http_json", "http1.1" -> Protocol.HTTP_JSON;
            default -> throw config.invalid(config.find(PROTOCOL).orElseThrow(), "expected http2 or http1");
        };
    }

    /** The timeout in whole milliseconds for the driver (at least 1). */
    public int timeoutMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public String toString() {
        return "ArangoSettings{" + hosts + (tls ? " tls" : "") + ", user " + user + ", password "
                + (password.isPresent() ? "****" : "none") + ", db " + database + ", " + protocol + ", timeout "
                + timeout + ", cursor " + cursorBatchSize + "/" + cursorTtl + "}";
    }
}
