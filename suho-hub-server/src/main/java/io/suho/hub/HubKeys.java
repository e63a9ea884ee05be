package io.suho.hub;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.SeedVariables;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hub's configuration variables as core's typed {@link ConfigKey}s: each key's parser, range and default are
 * written once, here, and durations follow the product's one rule ({@code 500ms}, {@code 5s}, {@code 1m}; a bare
 * number is refused). A key's {@link ConfigKey#envName()} is the variable ops set: the hub's own are
 * {@code suho.hub.*} ({@code suho.hub.max-wait-seconds} → {@code SUHO_HUB_MAX_WAIT_SECONDS}); a store's are the
 * seed deployment's names from core's {@link SeedVariables} table, keyed by their dotted form
 * ({@code postgres.port} → {@code POSTGRES_PORT}). Defaults match the local stack ({@code infra/local}).
 */
final class HubKeys {
    private static final Duration MIN_DURATION = Duration.ofMillis(1);
    private static final Duration MAX_DURATION = Duration.ofHours(1);

    static final ConfigKey<String> HOST = ConfigKey.string("suho.hub.bind", "Bind address: 127.0.0.1 (default,"
            + " this machine only) or 0.0.0.0 for every interface (the container image sets it).", "127.0.0.1")
            .withEnvAliases("SUHO_HUB_HOST");
    static final ConfigKey<Integer> PORT = ConfigKey.integer("suho.hub.port", "HTTP(S) port; 0 picks a free port.",
            7000, 0, 65535);
    static final ConfigKey<Integer> GRPC_PORT = ConfigKey.integer("suho.hub.grpc.port", "gRPC port (HTTP/2; same"
            + " bind address, TLS and tokens as the HTTP API); unset: no gRPC port; 0 picks a free port.", 0, 65535);
    static final ConfigKey<Secret> TOKEN = ConfigKey.secret("suho.hub.token",
            "Bearer token registrations need (at least 32 characters, e.g. openssl rand -hex 32); without one the"
                    + " hub is read-only.");
    static final ConfigKey<Secret> TOKEN_PREVIOUS = ConfigKey.secret("suho.hub.token-previous", "The registration"
            + " token being rotated out: accepted besides suho.hub.token until every service has the new one.");
    static final ConfigKey<Secret> READ_TOKEN = ConfigKey.secret("suho.hub.read-token", "Bearer token reads of"
            + " /v1/endpoints, /v1/services, /v1/instances and /v1/health detail need (at least 32 characters);"
            + " unset: reads are open. The write token is accepted for reads too.");
    static final ConfigKey<String> TLS_KEYSTORE = ConfigKey.string("suho.hub.tls.keystore", "PKCS#12 keystore"
            + " with the hub's certificate and key; set: the port serves HTTPS only.", null);
    static final ConfigKey<Secret> TLS_KEYSTORE_PASSWORD = ConfigKey.secret("suho.hub.tls.keystore-password",
            "Password of the keystore (SUHO_HUB_TLS_KEYSTORE_PASSWORD or ..._FILE).");
    static final ConfigKey<String> TLS_CERT = ConfigKey.string("suho.hub.tls.cert", "PEM certificate chain of the"
            + " hub (leaf first), with suho.hub.tls.key, instead of a PKCS#12 keystore.", null);
    static final ConfigKey<String> TLS_KEY = ConfigKey.string("suho.hub.tls.key", "Unencrypted PKCS#8 PEM private"
            + " key of suho.hub.tls.cert.", null);
    static final ConfigKey<String> TLS_CLIENT_CA = ConfigKey.string("suho.hub.tls.client-ca", "PEM file of the CA(s)"
            + " whose client certificates registrations must present (mutual TLS for writes; needs the keystore).",
            null);
    static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.integer("suho.hub.max-connections",
            "Most open client connections; further ones wait in the accept queue.", 1024, 16, 100_000);
    static final ConfigKey<Duration> IDLE_TIMEOUT = ConfigKey.duration("suho.hub.idle-timeout", "How long an idle"
            + " connection stays open (a waiting long-poll gets its wait plus a margin instead).",
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10));
    static final ConfigKey<Integer> MAX_WAITERS = ConfigKey.integer("suho.hub.max-waiters",
            "Most endpoint long-polls waiting at once.", 10_000, 1, 1_000_000);
    static final ConfigKey<Integer> MAX_WAITERS_PER_CLIENT = ConfigKey.integer("suho.hub.max-waiters-per-client",
            "Most endpoint long-polls one client address may have waiting at once.", 64, 1, 1_000_000);
    static final ConfigKey<Set<Store>> REQUIRED_STORES = ConfigKey.custom("suho.hub.required-stores",
            "Comma-separated store ids that must be up for /v1/health to answer 200 (default: every configured store).",
            HubKeys::stores, s -> s.stream().map(Store::id).collect(Collectors.joining(",")), null);
    static final ConfigKey<Integer> MAX_INSTANCES = ConfigKey.integer("suho.hub.max-instances",
            "Most instances the registry holds.", 10_000, 1, 1_000_000);
    static final ConfigKey<Integer> MAX_WAIT_SECONDS = ConfigKey.integer("suho.hub.max-wait-seconds",
            "Longest endpoint long-poll, in seconds.", 60, 1, 300);
    static final ConfigKey<Integer> MAX_BODY_BYTES = ConfigKey.integer("suho.hub.max-body-bytes",
            "Largest request body, in bytes.", 64 * 1024, 1024, 16 * 1024 * 1024);
    static final ConfigKey<Integer> MAX_TTL_SECONDS = ConfigKey.integer("suho.hub.max-ttl-seconds",
            "Longest lease an instance may ask for, in seconds.", 3600, 1, 86_400);
    static final ConfigKey<Duration> REAPER_INTERVAL = ConfigKey.duration("suho.hub.reaper-interval",
            "How often expired leases are removed.", Duration.ofSeconds(1), MIN_DURATION, MAX_DURATION);
    static final ConfigKey<Duration> PROBE_INTERVAL = ConfigKey.duration("suho.hub.probe.interval",
            "Probe interval of every store (default per store).", null, MIN_DURATION, MAX_DURATION);
    static final ConfigKey<Duration> PROBE_TIMEOUT = ConfigKey.duration("suho.hub.probe.timeout",
            "Probe timeout of every store (default per store).", null, MIN_DURATION, MAX_DURATION);
    static final ConfigKey<Integer> PROBE_FAILURES = ConfigKey.integer("suho.hub.probe.failures",
            "Failed probes in a row before a store is DOWN (default 3).", 1, 100);
    static final ConfigKey<Integer> PROBE_SUCCESSES = ConfigKey.integer("suho.hub.probe.successes",
            "Good probes in a row before a DOWN store is UP again (default 2).", 1, 100);
    static final ConfigKey<URI> NATS_MONITOR_URL = ConfigKey.custom("nats.monitor.url",
            "NATS monitoring endpoint the probe asks /healthz (default: the first NATS host, port 8222).",
            HubKeys::monitorUrl, URI::toString, null);

    static final ConfigKey<String> REGISTRY = ConfigKey.oneOf("suho.hub.registry", "Where the registry lives: memory"
            + " (default, one hub) or nats (a NATS JetStream key-value bucket on NATS_URL, shared by several hubs).",
            "memory", "memory", "nats");
    static final ConfigKey<String> REGISTRY_BUCKET = ConfigKey.custom("suho.hub.registry.bucket", "The NATS KV"
            + " bucket of a nats registry; every hub of one platform names the same bucket.", HubKeys::bucket,
            b -> b, "suho_registry");
    static final ConfigKey<Integer> REGISTRY_REPLICAS = ConfigKey.integer("suho.hub.registry.replicas", "Copies of"
            + " the bucket a NATS cluster keeps when the hub creates it (3 on a three-server cluster; at most the"
            + " number of servers).", 1, 1, 5);
    static final ConfigKey<String> REGISTRY_NATS_CREDS = ConfigKey.string("suho.hub.registry.nats-creds", "NATS"
            + " credentials file (.creds: JWT + NKey seed) for the registry connection; user/password or a token"
            + " can instead be written in NATS_URL.", null);
    static final ConfigKey<Duration> REGISTRY_TIMEOUT = ConfigKey.duration("suho.hub.registry.timeout", "Bound of"
            + " each registry write and of the start-up load from NATS.", Duration.ofSeconds(2), MIN_DURATION,
            Duration.ofMinutes(1));

    static final ConfigKey<String> POSTGRES_SSLMODE = ConfigKey.oneOf("postgres.sslmode", "How the PostgreSQL"
            + " probe authenticates the server when POSTGRES_TLS=true: verify-full (default), verify-ca or require.",
            "verify-full", "verify-full", "verify-ca", "require");
    static final ConfigKey<String> POSTGRES_SSLROOTCERT = ConfigKey.string("postgres.sslrootcert", "PEM file of"
            + " the CA PostgreSQL's certificate must chain to (default: the JVM's trust store).", null);

    private HubKeys() {
    }

    /** The lease an instance gets when it asks for none; at most {@code maxTtl}. */
    static ConfigKey<Integer> defaultTtlSeconds(int maxTtl) {
        return ConfigKey.integer("suho.hub.default-ttl-seconds", "Lease when a registration names none, in seconds.",
                30, 1, maxTtl);
    }

    /** {@code suho.hub.probe.<store>.interval}; falls back to {@link #PROBE_INTERVAL}, then the store's default. */
    static ConfigKey<Duration> probeInterval(Store s) {
        return ConfigKey.duration(PROBE_INTERVAL.name().replace("probe.", "probe." + s.id() + "."),
                "Probe interval of " + s.id() + ".", null, MIN_DURATION, MAX_DURATION);
    }

    /** {@code suho.hub.probe.<store>.timeout}. */
    static ConfigKey<Duration> probeTimeout(Store s) {
        return ConfigKey.duration(PROBE_TIMEOUT.name().replace("probe.", "probe." + s.id() + "."),
                "Probe timeout of " + s.id() + ".", null, MIN_DURATION, MAX_DURATION);
    }

    /** {@code suho.hub.probe.<store>.failures}. */
    static ConfigKey<Integer> probeFailures(Store s) {
        return ConfigKey.integer(PROBE_FAILURES.name().replace("probe.", "probe." + s.id() + "."),
                "Failed probes in a row before " + s.id() + " is DOWN.", 1, 100);
    }

    /** {@code suho.hub.probe.<store>.successes}. */
    static ConfigKey<Integer> probeSuccesses(Store s) {
        return ConfigKey.integer(PROBE_SUCCESSES.name().replace("probe.", "probe." + s.id() + "."),
                "Good probes in a row before " + s.id() + " is UP again.", 1, 100);
    }

    // ------------------------------------------------------------------ store variables (seed names)

    /** The port variable of a host + port store ({@code POSTGRES_PORT}); default: the store's usual port. */
    static ConfigKey<Integer> port(Store s) {
        return ConfigKey.integer(key(seed(s).port()), "Port of " + s.id() + ".", StoreKeys.defaultPort(s), 1, 65535);
    }

    /** The host variable of a host + port store: a host, host:port or a list; default 127.0.0.1. */
    static ConfigKey<List<HostPort>> hosts(Store s, int port) {
        return ConfigKey.hosts(key(seed(s).host()), "Host(s) of " + s.id() + ".", port)
                .withDefault(List.of(new HostPort("127.0.0.1", port)));
    }

    /** The URL (list) variable of a store given by URL ({@code NATS_URL}); NATS and Kafka default to local. */
    static ConfigKey<String> url(Store s) {
        String def = switch (s) {
            case NATS -> "nats://127.0.0.1:4222";
            case KAFKA -> "127.0.0.1:9092";
            default -> null;
        };
        return ConfigKey.string(key(seed(s).url()), "Address(es) of " + s.id() + ".", def);
    }

    /** The database variable, with the SDK's default ({@code suho_trading}, {@code suho_analytics}). */
    static ConfigKey<String> database(Store s) {
        return ConfigKey.string(key(seed(s).database()), "Database of " + s.id() + ".",
                StoreKeys.databaseKey(s).typedDefault());
    }

    /** The user variable, with the SDK's default ({@code postgres}, {@code default}, {@code root}; none for cache). */
    static ConfigKey<String> user(Store s) {
        return ConfigKey.string(key(seed(s).user()), "User of " + s.id() + ".", StoreKeys.userKey(s).typedDefault());
    }

    /** The password (or API key) variable; the seed's other names for it are aliases; {@code <NAME>_FILE} works. */
    static ConfigKey<Secret> password(Store s) {
        List<String> names = seed(s).passwords();
        return ConfigKey.secret(key(names.get(0)), "Password of " + s.id() + ".",
                names.subList(1, names.size()).toArray(String[]::new));
    }

    /** The TLS on/off variable ({@code POSTGRES_TLS}). */
    static ConfigKey<Boolean> tls(Store s) {
        return ConfigKey.bool(key(seed(s).tls()), "Use TLS to reach " + s.id() + ".", false);
    }

    private static SeedVariables seed(Store s) {
        return SeedVariables.of(s);
    }

    /** {@code CLICKHOUSE_HTTP_PORT} → {@code clickhouse.http.port}, whose {@link ConfigKey#envName()} it is. */
    private static String key(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static Set<Store> stores(String text) {
        Set<Store> out = EnumSet.noneOf(Store.class);
        for (String id : text.split(",")) {
            if (!id.isBlank()) {
                out.add(Store.fromId(id));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    private static URI monitorUrl(String text) {
        String t = text.trim();
        try {
            URI monitor = URI.create(t);
            if (monitor.getHost() == null || !t.startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            if (monitor.getRawUserInfo() != null) {
                // the monitor port takes no credentials, and the URL is shown in the health detail: drop them
                // (an error message would repeat the value)
                monitor = new URI(monitor.getScheme(), null, monitor.getHost(), monitor.getPort(), monitor.getPath(),
                        monitor.getQuery(), null);
            }
            return monitor;
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage() + "; expected e.g. http://127.0.0.1:8222", e);
        }
    }

    private static String bucket(String text) {
        String b = text.trim();
        if (!b.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("expected 1-64 letters, digits, '_' or '-' (a NATS KV bucket name)");
        }
        return b;
    }

    /** Every fixed key, for docs and for the config's list of known keys. */
    static List<ConfigKey<?>> all() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(HOST, PORT, GRPC_PORT, TOKEN, TOKEN_PREVIOUS, READ_TOKEN, TLS_KEYSTORE,
                TLS_KEYSTORE_PASSWORD, TLS_CERT, TLS_KEY, TLS_CLIENT_CA, MAX_CONNECTIONS, IDLE_TIMEOUT, MAX_WAITERS,
                MAX_WAITERS_PER_CLIENT, REQUIRED_STORES, MAX_INSTANCES, MAX_WAIT_SECONDS, MAX_BODY_BYTES,
                MAX_TTL_SECONDS, defaultTtlSeconds(86_400), REAPER_INTERVAL, PROBE_INTERVAL, PROBE_TIMEOUT,
                PROBE_FAILURES, PROBE_SUCCESSES, NATS_MONITOR_URL, POSTGRES_SSLMODE, POSTGRES_SSLROOTCERT, REGISTRY,
                REGISTRY_BUCKET, REGISTRY_REPLICAS, REGISTRY_NATS_CREDS, REGISTRY_TIMEOUT));
        for (Store s : Store.values()) {
            keys.addAll(List.of(probeInterval(s), probeTimeout(s), probeFailures(s), probeSuccesses(s)));
        }
        return keys;
    }
}
