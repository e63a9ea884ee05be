package io.suho.client.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The config keys every store shares: {@code suho.<store>.hosts}, {@code .database}, {@code .user},
 * {@code .password}, {@code .tls}, plus the resilience keys. Store modules add their own on top.
 */
public final class StoreKeys {
    private StoreKeys() {
    }

    /** {@code suho.<store>.hosts}: comma-separated {@code host:port} list. */
    public static String hosts(Store s) {
        return s.keyPrefix() + "hosts";
    }

    public static String database(Store s) {
        return s.keyPrefix() + "database";
    }

    public static String user(Store s) {
        return s.keyPrefix() + "user";
    }

    public static String password(Store s) {
        return s.keyPrefix() + "password";
    }

    public static String tls(Store s) {
        return s.keyPrefix() + "tls";
    }

    /** The default port of a store's main protocol. */
    public static int defaultPort(Store s) {
        return switch (s) {
            case POSTGRES -> 5432;
            case CACHE -> 6379;
            case ANALYTICS -> 8123;
            case VECTOR -> 8080;
            case GRAPH -> 8529;
            case NATS -> 4222;
            case KAFKA -> 9092;
        };
    }

    /** The keys every store has, with the seed deployment's environment names as aliases. */
    public static List<ConfigKey> common(Store s) {
        List<ConfigKey> keys = new ArrayList<>();
        String seedHosts = switch (s) {
            case POSTGRES -> "POSTGRES_HOST + POSTGRES_PORT";
            case CACHE -> "DRAGONFLY_HOST + DRAGONFLY_PORT";
            case ANALYTICS -> "CLICKHOUSE_HOST + CLICKHOUSE_HTTP_PORT";
            case VECTOR -> "WEAVIATE_URL";
            case GRAPH -> "ARANGO_URL";
            case NATS -> "NATS_URL";
            case KAFKA -> "KAFKA_BROKERS";
        };
        keys.add(new ConfigKey(hosts(s), "Comma-separated host:port list of the " + s.id()
                + " servers (seed: " + seedHosts + "; default port " + defaultPort(s) + ").", null, false, true,
                List.of()));
        keys.add(new ConfigKey(tls(s), "Use TLS to reach " + s.id() + " (true/false).", "false", false, false,
                List.of()));
        switch (s) {
            case POSTGRES -> {
                keys.add(new ConfigKey(database(s), "Database name.", "suho_trading", false, false,
                        List.of("POSTGRES_DB")));
                keys.add(new ConfigKey(user(s), "User name.", "postgres", false, false, List.of("POSTGRES_USER")));
                keys.add(new ConfigKey(password(s), "Password.", null, true, false, List.of("POSTGRES_PASSWORD")));
            }
            case CACHE -> {
                keys.add(new ConfigKey(user(s), "ACL user name (empty for the default user).", null, false, false,
                        List.of()));
                keys.add(new ConfigKey(password(s), "Password (AUTH).", null, true, false,
                        List.of("DRAGONFLY_PASSWORD")));
            }
            case ANALYTICS -> {
                keys.add(new ConfigKey(database(s), "Database name.", "suho_analytics", false, false,
                        List.of("CLICKHOUSE_DB")));
                keys.add(new ConfigKey(user(s), "User name.", "default", false, false, List.of("CLICKHOUSE_USER")));
                keys.add(new ConfigKey(password(s), "Password.", null, true, false, List.of("CLICKHOUSE_PASSWORD")));
            }
            case VECTOR -> keys.add(new ConfigKey(password(s), "API key (empty for anonymous access).", null, true,
                    false, List.of("WEAVIATE_API_KEY")));
            case GRAPH -> {
                keys.add(new ConfigKey(database(s), "Database name.", "suho_graph", false, false,
                        List.of("ARANGO_DB")));
                keys.add(new ConfigKey(user(s), "User name.", "root", false, false, List.of("ARANGO_USER")));
                keys.add(new ConfigKey(password(s), "Password.", null, true, false,
                        List.of("ARANGO_PASSWORD", "ARANGO_ROOT_PASSWORD")));
            }
            case NATS -> {
                keys.add(new ConfigKey(user(s), "User name.", null, false, false, List.of("NATS_USER")));
                keys.add(new ConfigKey(password(s), "Password or token.", null, true, false,
                        List.of("NATS_PASSWORD")));
            }
            case KAFKA -> {
                // PLAINTEXT by default; SASL settings go through suho.kafka.client.* pass-through keys.
            }
        }
        keys.addAll(ResilienceConfig.keys(s));
        return List.copyOf(keys);
    }
}
