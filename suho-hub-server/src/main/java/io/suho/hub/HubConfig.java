package io.suho.hub;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The hub's immutable configuration, read from the seed deployment's environment names ({@code POSTGRES_HOST},
 * {@code DRAGONFLY_PASSWORD}, {@code NATS_MONITOR_URL}, {@code SUHO_HUB_PORT}, …) and optionally a flat
 * properties/YAML file of the same names. Defaults match the local stack ({@code infra/local}). Every bad value
 * fails {@link #from} with a {@link ConfigurationException} naming the variable; secret values never appear in
 * messages or in {@link #toString()}. Thread-safe.
 */
public final class HubConfig {

    /** Where one store is reached and how it is logged into; {@code null} fields mean "not set". */
    public record Target(Store store, List<HostPort> hosts, String database, boolean tls, String user,
            Secret password, URI url, URI monitorUrl) {
    }

    /** How one store is probed: how often, how long a probe may take, and the anti-flap thresholds. */
    public record ProbeSettings(Duration interval, Duration timeout, int failuresToDown, int successesToUp) {
    }

    private static final Map<Store, ProbeSettings> PROBE_DEFAULTS = Map.of(
            Store.POSTGRES, new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), 3, 2),
            Store.CACHE, new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(1), 3, 2),
            Store.ANALYTICS, new ProbeSettings(Duration.ofSeconds(10), Duration.ofSeconds(2), 3, 2),
            Store.VECTOR, new ProbeSettings(Duration.ofSeconds(10), Duration.ofSeconds(2), 3, 2),
            Store.GRAPH, new ProbeSettings(Duration.ofSeconds(10), Duration.ofSeconds(2), 3, 2),
            Store.NATS, new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(1), 3, 2),
            Store.KAFKA, new ProbeSettings(Duration.ofSeconds(10), Duration.ofSeconds(3), 3, 2));

    private final String bindHost;
    private final int port;
    private final Secret token;
    private final Map<Store, Target> targets;
    private final Map<Store, String> notConfigured;
    private final Map<Store, ProbeSettings> probes;
    private final Set<Store> required;
    private final int maxInstances;
    private final int maxWaitSeconds;
    private final int maxBodyBytes;
    private final int defaultTtlSeconds;
    private final int maxTtlSeconds;
    private final Duration reaperInterval;
    private final List<Secret> secrets;

    private HubConfig(Vars v) {
        bindHost = v.get("SUHO_HUB_HOST", "0.0.0.0");
        port = v.intValue("SUHO_HUB_PORT", 7000, 0, 65535);
        token = v.secret("SUHO_HUB_TOKEN").orElse(null);
        if (token != null && token.reveal().length() < 8) {
            throw new ConfigurationException("SUHO_HUB_TOKEN", "SUHO_HUB_TOKEN is shorter than 8 characters; "
                    + "use a long random value (e.g. openssl rand -hex 32)");
        }
        Map<Store, Target> t = new EnumMap<>(Store.class);
        Map<Store, String> missing = new EnumMap<>(Store.class);
        t.put(Store.POSTGRES, hostPortTarget(v, Store.POSTGRES, "POSTGRES_HOST", "POSTGRES_PORT", "127.0.0.1",
                v.get("POSTGRES_DB", "suho_trading"), v.get("POSTGRES_USER", "postgres"), "POSTGRES_PASSWORD",
                v.bool("POSTGRES_TLS", false)));
        t.put(Store.CACHE, hostPortTarget(v, Store.CACHE, "DRAGONFLY_HOST", "DRAGONFLY_PORT", "127.0.0.1", null,
                v.get("DRAGONFLY_USER", null), "DRAGONFLY_PASSWORD", v.bool("DRAGONFLY_TLS", false)));
        Target ch = hostPortTarget(v, Store.ANALYTICS, "CLICKHOUSE_HOST", "CLICKHOUSE_HTTP_PORT", "127.0.0.1",
                v.get("CLICKHOUSE_DB", "suho_analytics"), v.get("CLICKHOUSE_USER", "default"),
                "CLICKHOUSE_PASSWORD", v.bool("CLICKHOUSE_TLS", false));
        HostPort chFirst = ch.hosts().get(0);
        t.put(Store.ANALYTICS, new Target(ch.store(), ch.hosts(), ch.database(), ch.tls(), ch.user(), ch.password(),
                URI.create((ch.tls() ? "https://" : "http://") + chFirst), null));
        urlTarget(v, Store.VECTOR, "WEAVIATE_URL", null, "WEAVIATE_API_KEY", t, missing);
        urlTarget(v, Store.GRAPH, "ARANGO_URL", v.get("ARANGO_USER", "root"), "ARANGO_PASSWORD", t, missing);
        urlTarget(v, Store.NATS, "NATS_URL", null, null, t, missing);
        urlTarget(v, Store.KAFKA, "KAFKA_BROKERS", null, null, t, missing);
        targets = Collections.unmodifiableMap(t);
        notConfigured = Collections.unmodifiableMap(missing);

        Map<Store, ProbeSettings> p = new EnumMap<>(Store.class);
        for (Store s : Store.values()) {
            ProbeSettings d = PROBE_DEFAULTS.get(s);
            String prefix = "SUHO_HUB_PROBE_" + s.name() + "_";
            Duration interval = v.duration(prefix + "INTERVAL", v.duration("SUHO_HUB_PROBE_INTERVAL", d.interval()));
            Duration timeout = v.duration(prefix + "TIMEOUT", v.duration("SUHO_HUB_PROBE_TIMEOUT", d.timeout()));
            int failures = v.intValue(prefix + "FAILURES", v.intValue("SUHO_HUB_PROBE_FAILURES",
                    d.failuresToDown(), 1, 100), 1, 100);
            int successes = v.intValue(prefix + "SUCCESSES", v.intValue("SUHO_HUB_PROBE_SUCCESSES",
                    d.successesToUp(), 1, 100), 1, 100);
            p.put(s, new ProbeSettings(interval, timeout, failures, successes));
        }
        probes = Collections.unmodifiableMap(p);

        String req = v.get("SUHO_HUB_REQUIRED_STORES", null);
        Set<Store> r = EnumSet.noneOf(Store.class);
        if (req == null) {
            r.addAll(targets.keySet());
        } else {
            for (String id : req.split(",")) {
                if (id.isBlank()) {
                    continue;
                }
                try {
                    r.add(Store.fromId(id));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("SUHO_HUB_REQUIRED_STORES",
                            "SUHO_HUB_REQUIRED_STORES: " + e.getMessage());
                }
            }
        }
        required = Collections.unmodifiableSet(r);
        maxInstances = v.intValue("SUHO_HUB_MAX_INSTANCES", 10_000, 1, 1_000_000);
        maxWaitSeconds = v.intValue("SUHO_HUB_MAX_WAIT_SECONDS", 60, 1, 300);
        maxBodyBytes = v.intValue("SUHO_HUB_MAX_BODY_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024);
        maxTtlSeconds = v.intValue("SUHO_HUB_MAX_TTL_SECONDS", 3600, 1, 86_400);
        defaultTtlSeconds = v.intValue("SUHO_HUB_DEFAULT_TTL_SECONDS", 30, 1, maxTtlSeconds);
        reaperInterval = v.duration("SUHO_HUB_REAPER_INTERVAL", Duration.ofSeconds(1));
        List<Secret> all = new ArrayList<>();
        if (token != null) {
            all.add(token);
        }
        targets.values().forEach(x -> {
            if (x.password() != null && !x.password().isEmpty()) {
                all.add(x.password());
            }
        });
        secrets = List.copyOf(all);
    }

    /**
     * Reads the configuration from {@code env} (usually {@link System#getenv()}) layered over an optional file.
     * Environment values win over the file, the file over the defaults.
     *
     * @param env variables by name
     * @param file a properties file or flat YAML ({@code NAME: value} lines) with the same names, or {@code null}
     * @throws ConfigurationException naming the variable when a value is missing or invalid
     */
    public static HubConfig from(Map<String, String> env, Path file) {
        Map<String, String> merged = new HashMap<>();
        if (file != null) {
            merged.putAll(readFile(file));
        }
        env.forEach((k, val) -> {
            if (val != null) {
                merged.put(k, val);
            }
        });
        return new HubConfig(new Vars(merged));
    }

    /** Same as {@link #from(Map, Path)} without a file. */
    public static HubConfig from(Map<String, String> env) {
        return from(env, null);
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r); // "NAME=value" and flat YAML "NAME: value" both parse as properties
        } catch (IOException e) {
            throw new ConfigurationException("--config", "cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            String val = props.getProperty(name).trim();
            if (val.length() >= 2 && (val.startsWith("\"") && val.endsWith("\"")
                    || val.startsWith("'") && val.endsWith("'"))) {
                val = val.substring(1, val.length() - 1);
            }
            out.put(name.trim(), val);
        }
        return out;
    }

    private static Target hostPortTarget(Vars v, Store store, String hostVar, String portVar, String defHost,
            String database, String user, String passwordVar, boolean tls) {
        String host = v.get(hostVar, defHost);
        int port = v.intValue(portVar, StoreKeys.defaultPort(store), 1, 65535);
        List<HostPort> hosts;
        try {
            hosts = host.contains(":") || host.contains(",")
                    ? HostPort.parseList(host, port)
                    : List.of(new HostPort(host.trim(), port));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(hostVar, hostVar + "='" + host + "' is invalid: " + e.getMessage()
                    + "; expected a host name, host:port or a comma-separated list");
        }
        return new Target(store, hosts, database, tls, user, v.secret(passwordVar).orElse(null), null, null);
    }

    private static void urlTarget(Vars v, Store store, String var, String user, String passwordVar,
            Map<Store, Target> out, Map<Store, String> missing) {
        String def = switch (store) {
            case NATS -> "nats://127.0.0.1:4222";
            case KAFKA -> "127.0.0.1:9092";
            default -> null;
        };
        String raw = v.get(var, def);
        if (raw == null) {
            missing.put(store, "not configured: set " + var);
            return;
        }
        List<HostPort> hosts = new ArrayList<>();
        boolean tls = false;
        URI first = null;
        for (String part : raw.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                if (p.contains("://")) {
                    URI uri = URI.create(p);
                    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
                    if (uri.getHost() == null) {
                        throw new IllegalArgumentException("no host in '" + p + "'");
                    }
                    tls |= scheme.equals("https") || scheme.equals("tls");
                    int port = uri.getPort() > 0 ? uri.getPort()
                            : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : StoreKeys.defaultPort(store);
                    hosts.add(new HostPort(uri.getHost(), port));
                    if (first == null) {
                        first = uri;
                    }
                } else {
                    hosts.add(HostPort.parse(p, StoreKeys.defaultPort(store)));
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(var, var + " is invalid: " + e.getMessage());
            }
        }
        if (hosts.isEmpty()) {
            missing.put(store, "not configured: " + var + " is empty");
            return;
        }
        URI url = null;
        URI monitor = null;
        if (store == Store.VECTOR || store == Store.GRAPH) {
            url = first != null ? first : URI.create("http://" + hosts.get(0));
            String scheme = url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new ConfigurationException(var, var + " must be an http(s) URL, e.g. http://weaviate:8080");
            }
        }
        if (store == Store.NATS) {
            String m = v.get("NATS_MONITOR_URL", "http://" + hosts.get(0).host() + ":8222");
            try {
                monitor = URI.create(m);
                if (monitor.getHost() == null || !m.startsWith("http")) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("NATS_MONITOR_URL", "NATS_MONITOR_URL='" + m + "' is invalid: "
                        + e.getMessage() + "; expected e.g. http://127.0.0.1:8222");
            }
        }
        Secret pw = passwordVar == null ? null : v.secret(passwordVar).orElse(null);
        out.put(store, new Target(store, List.copyOf(hosts), null, tls, user, pw, url, monitor));
    }

    /** Bind address ({@code SUHO_HUB_HOST}, default all interfaces). */
    public String bindHost() {
        return bindHost;
    }

    /** HTTP port ({@code SUHO_HUB_PORT}, default 7000; 0 picks a free port). */
    public int port() {
        return port;
    }

    /** The write token, empty when the hub runs read-only. */
    public Optional<Secret> token() {
        return Optional.ofNullable(token);
    }

    /** Configured stores. Stores absent here are reported {@code UNKNOWN} with {@link #notConfiguredReason}. */
    public Map<Store, Target> targets() {
        return targets;
    }

    /** Why a store is not configured, e.g. {@code not configured: set WEAVIATE_URL}. */
    public String notConfiguredReason(Store store) {
        return notConfigured.getOrDefault(store, "configured");
    }

    public ProbeSettings probe(Store store) {
        return probes.get(store);
    }

    /** Stores that must be up for {@code /v1/health} to answer 200 (default: every configured store). */
    public Set<Store> required() {
        return required;
    }

    public int maxInstances() {
        return maxInstances;
    }

    public int maxWaitSeconds() {
        return maxWaitSeconds;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public int defaultTtlSeconds() {
        return defaultTtlSeconds;
    }

    public int maxTtlSeconds() {
        return maxTtlSeconds;
    }

    public Duration reaperInterval() {
        return reaperInterval;
    }

    /** Every secret value this config holds, so error texts can be scrubbed of them before they are shown. */
    public List<Secret> secrets() {
        return secrets;
    }

    @Override
    public String toString() {
        return "HubConfig{port=" + port + ", token=" + (token == null ? "none" : "****") + ", stores="
                + targets.keySet() + ", required=" + required + "}";
    }

    /** Variable lookup with validation that names the variable; {@code NAME_FILE} works for secrets. */
    private static final class Vars {
        private final Map<String, String> vars;

        Vars(Map<String, String> vars) {
            this.vars = vars;
        }

        String get(String name, String def) {
            String v = vars.get(name);
            return v == null || v.isBlank() ? def : v.trim();
        }

        Optional<Secret> secret(String name) {
            String direct = vars.get(name);
            if (direct != null && !direct.isEmpty()) {
                return Optional.of(Secret.of(direct));
            }
            String file = get(name + "_FILE", null);
            if (file == null) {
                return Optional.empty();
            }
            try {
                String s = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                if (s.isEmpty()) {
                    throw new ConfigurationException(name + "_FILE", name + "_FILE names an empty file: " + file);
                }
                return Optional.of(Secret.of(s));
            } catch (IOException | RuntimeException e) {
                if (e instanceof ConfigurationException ce) {
                    throw ce;
                }
                throw new ConfigurationException(name + "_FILE", "cannot read " + name + "_FILE " + file + ": "
                        + e.getClass().getSimpleName());
            }
        }

        int intValue(String name, int def, int min, int max) {
            String v = get(name, null);
            if (v == null) {
                return def;
            }
            try {
                int i = Integer.parseInt(v);
                if (i < min || i > max) {
                    throw new NumberFormatException();
                }
                return i;
            } catch (NumberFormatException e) {
                throw new ConfigurationException(name, name + "='" + v + "' is invalid: expected a whole number in "
                        + min + ".." + max);
            }
        }

        boolean bool(String name, boolean def) {
            String v = get(name, null);
            if (v == null) {
                return def;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "on" -> true;
                case "false", "no", "0", "off" -> false;
                default -> throw new ConfigurationException(name, name + "='" + v + "' is invalid: expected true or "
                        + "false");
            };
        }

        Duration duration(String name, Duration def) {
            String v = get(name, null);
            if (v == null) {
                return def;
            }
            try {
                Duration d = parseDuration(v);
                if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
                    throw new IllegalArgumentException();
                }
                return d;
            } catch (RuntimeException e) {
                throw new ConfigurationException(name, name + "='" + v + "' is invalid: expected a duration such as "
                        + "500ms, 5s or 1m (more than 0, at most 1h)");
            }
        }
    }

    static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
        }
        if (s.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()));
        }
        if (s.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).trim()));
        }
        return Duration.ofSeconds(Long.parseLong(s));
    }
}
