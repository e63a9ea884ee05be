package io.suho.client.core;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The config keys every store shares: {@code suho.<store>.hosts}, {@code .tls}, and where the store has them
 * {@code .database}, {@code .user}, {@code .password}, plus the resilience keys. The seed deployment's environment
 * names ({@link SeedVariables}) are their aliases. Store modules add their own keys on top.
 *
 * <pre>{@code
 * List<HostPort> hosts = config.get(StoreKeys.hostsKey(Store.POSTGRES));
 * String database = config.get(StoreKeys.databaseKey(Store.POSTGRES)); // default suho_trading
 * }</pre>
 */
public final class StoreKeys {
    private static final Map<Store, Shared> SHARED = new EnumMap<>(Store.class);

    static {
        for (Store s : Store.values()) {
            SHARED.put(s, shared(s));
        }
    }

    private StoreKeys() {
    }

    /** The typed shared keys of one store; {@code database}, {@code user}, {@code password} may be {@code null}. */
    private record Shared(ConfigKey<List<HostPort>> hosts, ConfigKey<Boolean> tls, ConfigKey<String> database,
            ConfigKey<String> user, ConfigKey<Secret> password) {
    }

    private static Shared shared(Store s) {
        SeedVariables seed = SeedVariables.of(s);
        ConfigKey<List<HostPort>> hosts = ConfigKey.hosts(hosts(s), "Comma-separated host:port list of the " + s.id()
                + " servers (seed: " + seed.describeAddress() + "; default port " + defaultPort(s) + ").",
                defaultPort(s)).asRequired();
        ConfigKey<Boolean> tls = ConfigKey.bool(tls(s), "Use TLS to reach " + s.id() + " (true/false).", false);
        if (seed.tls() != null) {
            tls = tls.withEnvAliases(seed.tls());
        }
        String defaultDatabase = switch (s) {
            case POSTGRES -> "suho_trading";
            case ANALYTICS -> "suho_analytics";
            case GRAPH -> "suho_graph";
            default -> null;
        };
        String defaultUser = switch (s) {
            case POSTGRES -> "postgres";
            case ANALYTICS -> "default";
            case GRAPH -> "root";
            default -> null;
        };
        // validated wherever it comes from (builder, env, hub, endpoint file): a name is only ever a name, so it
        // cannot smuggle driver parameters into a URL (e.g. "x?sslmode=disable")
        String namePattern = s == Store.GRAPH ? "[A-Za-z0-9_][A-Za-z0-9_-]{0,62}" : "[A-Za-z0-9_]{1,63}";
        String nameRule = s == Store.GRAPH ? "1-63 letters, digits, '_' or '-'" : "1-63 letters, digits or '_'";
        ConfigKey<String> database = seed.database() == null ? null
                : ConfigKey.custom(database(s), "Database name (" + nameRule + ").", text -> {
                    String name = text.trim();
                    if (!name.matches(namePattern)) {
                        throw new IllegalArgumentException("expected a database name of " + nameRule);
                    }
                    return name;
                }, d -> d, defaultDatabase).withEnvAliases(seed.database());
        ConfigKey<String> user = switch (s) {
            case CACHE -> ConfigKey.string(user(s), "ACL user name (empty for the default user).", null);
            case POSTGRES, ANALYTICS, GRAPH, NATS -> ConfigKey.string(user(s), "User name.", defaultUser);
            default -> null;
        };
        if (user != null && seed.user() != null) {
            user = user.withEnvAliases(seed.user());
        }
        String passwordText = switch (s) {
            case CACHE -> "Password (AUTH).";
            case VECTOR -> "API key (empty for anonymous access).";
            case NATS -> "Password or token.";
            default -> "Password.";
        };
        // PLAINTEXT Kafka by default; SASL settings go through suho.kafka.client.* pass-through keys.
        ConfigKey<Secret> password = s == Store.KAFKA ? null
                : ConfigKey.secret(password(s), passwordText, seed.passwords().toArray(String[]::new));
        return new Shared(hosts, tls, database, user, password);
    }

    /** {@code suho.<store>.hosts}: comma-separated {@code host:port} list. */
    public static String hosts(Store s) {
        return s.keyPrefix() + "hosts";
    }

    /** {@code suho.<store>.database}. */
    public static String database(Store s) {
        return s.keyPrefix() + "database";
    }

    /** {@code suho.<store>.user}. */
    public static String user(Store s) {
        return s.keyPrefix() + "user";
    }

    /** {@code suho.<store>.password}. */
    public static String password(Store s) {
        return s.keyPrefix() + "password";
    }

    /** {@code suho.<store>.tls}. */
    public static String tls(Store s) {
        return s.keyPrefix() + "tls";
    }

    /** The typed {@code suho.<store>.hosts} key (required; a bare host gets {@link #defaultPort}). */
    public static ConfigKey<List<HostPort>> hostsKey(Store s) {
        return SHARED.get(s).hosts();
    }

    /** The typed {@code suho.<store>.tls} key (default false). */
    public static ConfigKey<Boolean> tlsKey(Store s) {
        return SHARED.get(s).tls();
    }

    /**
     * The typed {@code suho.<store>.database} key of postgres, analytics and graph.
     *
     * @throws IllegalArgumentException for a store without a shared database key
     */
    public static ConfigKey<String> databaseKey(Store s) {
        return present(SHARED.get(s).database(), s, "database");
    }

    /**
     * The typed {@code suho.<store>.user} key of postgres, cache, analytics, graph and nats.
     *
     * @throws IllegalArgumentException for a store without a user key
     */
    public static ConfigKey<String> userKey(Store s) {
        return present(SHARED.get(s).user(), s, "user");
    }

    /**
     * The typed {@code suho.<store>.password} key (secret) of every store but kafka.
     *
     * @throws IllegalArgumentException for kafka
     */
    public static ConfigKey<Secret> passwordKey(Store s) {
        return present(SHARED.get(s).password(), s, "password");
    }

    private static <T> ConfigKey<T> present(ConfigKey<T> key, Store s, String what) {
        if (key == null) {
            throw new IllegalArgumentException(s.id() + " has no shared " + what + " key");
        }
        return key;
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
    public static List<ConfigKey<?>> common(Store s) {
        Shared k = SHARED.get(s);
        List<ConfigKey<?>> keys = new ArrayList<>();
        keys.add(k.hosts());
        keys.add(k.tls());
        if (k.database() != null) {
            keys.add(k.database());
        }
        if (k.user() != null) {
            keys.add(k.user());
        }
        if (k.password() != null) {
            keys.add(k.password());
        }
        keys.addAll(ResilienceConfig.keys(s));
        return List.copyOf(keys);
    }
}
