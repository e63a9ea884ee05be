package io.suho.hub;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.HostWeights;
import io.suho.client.core.SeedVariables;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
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
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The hub's immutable configuration, read from the seed deployment's environment names ({@code POSTGRES_HOST},
 * {@code DRAGONFLY_PASSWORD}, {@code NATS_MONITOR_URL}, {@code SUHO_HUB_PORT}, …) and optionally a flat
 * properties/YAML file of the same names. Defaults match the local stack ({@code infra/local}). The variables are
 * core's typed config keys ({@code HubKeys}: parser, range and default per variable; the store names come from
 * core's {@link SeedVariables} table) read through {@link SuhoConfig}, so the hub and the SDK share one rule per type:
 * a duration needs a unit ({@code 500ms}, {@code 5s}, {@code 1m}; a bare {@code 5} is refused). Every bad value fails
 * {@link #from} with a {@link ConfigurationException} naming the variable; secret values never appear in messages
 * or in {@link #toString()}. Thread-safe.
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

    /** Shortest token the hub accepts: 32 characters (e.g. {@code openssl rand -hex 32} gives 64). */
    public static final int MIN_TOKEN_LENGTH = 32;

    private final String bindHost;
    private final int port;
    private final Integer grpcPort;
    private final Secret token;
    private final Secret readToken;
    private final Secret previousToken;
    private final HubTls tlsSettings;
    private final int maxConnections;
    private final String postgresSslMode;
    private final String postgresSslRootCert;
    private final Duration idleTimeout;
    private final int maxWaiters;
    private final int maxWaitersPerClient;
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
    private final HostWeights postgresReplicaWeights;
    private final RegistrySettings registry;
    private final List<Secret> secrets;

    private HubConfig(SuhoConfig v) {
        bindHost = v.get(HubKeys.HOST);
        port = v.get(HubKeys.PORT);
        grpcPort = v.optional(HubKeys.GRPC_PORT).orElse(null);
        token = strongToken(v.optional(HubKeys.TOKEN).orElse(null), "SUHO_HUB_TOKEN");
        readToken = strongToken(v.optional(HubKeys.READ_TOKEN).orElse(null), "SUHO_HUB_READ_TOKEN");
        previousToken = strongToken(v.optional(HubKeys.TOKEN_PREVIOUS).orElse(null), "SUHO_HUB_TOKEN_PREVIOUS");
        if (previousToken != null && token == null) {
            throw new ConfigurationException("SUHO_HUB_TOKEN_PREVIOUS", "SUHO_HUB_TOKEN_PREVIOUS is set but"
                    + " SUHO_HUB_TOKEN (the new token) is not");
        }
        tlsSettings = HubTls.read(v);
        postgresSslMode = v.get(HubKeys.POSTGRES_SSLMODE);
        postgresSslRootCert = v.optional(HubKeys.POSTGRES_SSLROOTCERT).orElse(null);
        maxConnections = v.get(HubKeys.MAX_CONNECTIONS);
        idleTimeout = v.get(HubKeys.IDLE_TIMEOUT);
        maxWaiters = v.get(HubKeys.MAX_WAITERS);
        maxWaitersPerClient = v.get(HubKeys.MAX_WAITERS_PER_CLIENT);
        Map<Store, Target> t = new EnumMap<>(Store.class);
        Map<Store, String> missing = new EnumMap<>(Store.class);
        t.put(Store.POSTGRES, StoreTargets.hostPortTarget(v, Store.POSTGRES, v.get(HubKeys.database(Store.POSTGRES)),
                v.get(HubKeys.user(Store.POSTGRES))));
        t.put(Store.CACHE, StoreTargets.hostPortTarget(v, Store.CACHE, null,
                v.optional(HubKeys.user(Store.CACHE)).orElse(null)));
        Target ch = StoreTargets.hostPortTarget(v, Store.ANALYTICS, v.get(HubKeys.database(Store.ANALYTICS)),
                v.get(HubKeys.user(Store.ANALYTICS)));
        HostPort chFirst = ch.hosts().get(0);
        t.put(Store.ANALYTICS, new Target(ch.store(), ch.hosts(), ch.database(), ch.tls(), ch.user(), ch.password(),
                URI.create((ch.tls() ? "https://" : "http://") + chFirst), null));
        StoreTargets.urlTarget(v, Store.VECTOR, null, v.optional(HubKeys.password(Store.VECTOR)).orElse(null), t,
                missing);
        StoreTargets.urlTarget(v, Store.GRAPH, v.get(HubKeys.user(Store.GRAPH)),
                v.optional(HubKeys.password(Store.GRAPH)).orElse(null), t, missing);
        StoreTargets.urlTarget(v, Store.NATS, null, null, t, missing);
        StoreTargets.urlTarget(v, Store.KAFKA, null, null, t, missing);
        t.values().forEach(x -> {
            if (x.database() != null && !x.database().matches("[A-Za-z0-9_][A-Za-z0-9_-]{0,62}")) {
                String var = SeedVariables.of(x.store()).database();
                throw new ConfigurationException(var, var + " is not a database name: expected 1-63 letters, digits,"
                        + " '_' or '-'");
            }
        });
        targets = Collections.unmodifiableMap(t);
        postgresReplicaWeights = StoreTargets.replicaWeights(v);
        notConfigured = Collections.unmodifiableMap(missing);

        Duration allIntervals = v.optional(HubKeys.PROBE_INTERVAL).orElse(null);
        Duration allTimeouts = v.optional(HubKeys.PROBE_TIMEOUT).orElse(null);
        Integer allFailures = v.optional(HubKeys.PROBE_FAILURES).orElse(null);
        Integer allSuccesses = v.optional(HubKeys.PROBE_SUCCESSES).orElse(null);
        Map<Store, ProbeSettings> p = new EnumMap<>(Store.class);
        for (Store s : Store.values()) {
            ProbeSettings d = PROBE_DEFAULTS.get(s);
            p.put(s, new ProbeSettings(
                    v.optional(HubKeys.probeInterval(s)).orElse(allIntervals == null ? d.interval() : allIntervals),
                    v.optional(HubKeys.probeTimeout(s)).orElse(allTimeouts == null ? d.timeout() : allTimeouts),
                    v.optional(HubKeys.probeFailures(s)).orElse(allFailures == null ? d.failuresToDown()
                            : allFailures),
                    v.optional(HubKeys.probeSuccesses(s)).orElse(allSuccesses == null ? d.successesToUp()
                            : allSuccesses)));
        }
        probes = Collections.unmodifiableMap(p);

        required = v.optional(HubKeys.REQUIRED_STORES).orElseGet(() -> {
            Set<Store> configured = EnumSet.noneOf(Store.class);
            configured.addAll(targets.keySet());
            return Collections.unmodifiableSet(configured);
        });
        maxInstances = v.get(HubKeys.MAX_INSTANCES);
        maxWaitSeconds = v.get(HubKeys.MAX_WAIT_SECONDS);
        maxBodyBytes = v.get(HubKeys.MAX_BODY_BYTES);
        maxTtlSeconds = v.get(HubKeys.MAX_TTL_SECONDS);
        defaultTtlSeconds = v.get(HubKeys.defaultTtlSeconds(maxTtlSeconds));
        reaperInterval = v.get(HubKeys.REAPER_INTERVAL);
        registry = RegistrySettings.read(v, targets);
        List<Secret> all = new ArrayList<>();
        if (token != null) {
            all.add(token);
        }
        if (readToken != null) {
            all.add(readToken);
        }
        if (previousToken != null) {
            all.add(previousToken);
        }
        if (tlsSettings.keystorePassword() != null) {
            all.add(tlsSettings.keystorePassword());
        }
        targets.values().forEach(x -> {
            if (x.password() != null && !x.password().isEmpty()) {
                if (x.password().reveal().startsWith(PLACEHOLDER)) {
                    String var = SeedVariables.of(x.store()).passwords().isEmpty() ? x.store().id() + " password"
                            : SeedVariables.of(x.store()).passwords().get(0);
                    throw new ConfigurationException(var, var + " still holds the example's " + PLACEHOLDER
                            + "… placeholder; set the store's real password");
                }
                all.add(x.password());
            }
        });
        secrets = List.copyOf(all);
    }

    private static final String PLACEHOLDER = "CHANGE-ME";

    /** A token must be long and must not be the example file's placeholder. */
    private static Secret strongToken(Secret t, String var) {
        if (t == null) {
            return null;
        }
        if (t.reveal().startsWith(PLACEHOLDER)) {
            throw new ConfigurationException(var, var + " still holds the example's " + PLACEHOLDER + "… placeholder;"
                    + " use a long random value (e.g. openssl rand -hex 32)");
        }
        if (t.reveal().length() < MIN_TOKEN_LENGTH) {
            throw new ConfigurationException(var, var + " is shorter than " + MIN_TOKEN_LENGTH + " characters; use a"
                    + " long random value (e.g. openssl rand -hex 32)");
        }
        return t;
    }

    /**
     * Reads the configuration from {@code env} (usually {@link System#getenv()}) layered over an optional file.
     * Environment values win over the file, the file over the defaults. Values are parsed by core's
     * {@link SuhoConfig} against {@link HubKeys}; a value read from the file is reported like an environment value
     * (the file is a list of variable assignments).
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
        return new HubConfig(SuhoConfig.create(Map.of(), new Properties(), merged, HubKeys.all()));
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

    /** PostgreSQL replica weights ({@code POSTGRES_REPLICA_WEIGHTS}) the catalog publishes; empty: all weigh 1. */
    public HostWeights postgresReplicaWeights() {
        return postgresReplicaWeights;
    }

    /** Bind address ({@code SUHO_HUB_BIND}, alias {@code SUHO_HUB_HOST}; default {@code 127.0.0.1}). */
    public String bindHost() {
        return bindHost;
    }

    /** The registration token being rotated out ({@code SUHO_HUB_TOKEN_PREVIOUS}), accepted besides the token. */
    public Optional<Secret> previousToken() {
        return Optional.ofNullable(previousToken);
    }

    /** The read token ({@code SUHO_HUB_READ_TOKEN}); empty when reads are open. */
    public Optional<Secret> readToken() {
        return Optional.ofNullable(readToken);
    }

    /** The PKCS#12 keystore the hub serves HTTPS with ({@code SUHO_HUB_TLS_KEYSTORE}); empty: plain HTTP. */
    public Optional<Path> tlsKeystore() {
        return Optional.ofNullable(tlsSettings.keystore());
    }

    /** Whether the hub serves HTTPS (a keystore, or a PEM certificate and key). */
    public boolean tls() {
        return tlsSettings.keystore() != null || tlsSettings.cert() != null;
    }

    /** The PEM certificate chain ({@code SUHO_HUB_TLS_CERT}), when the identity is given as PEM. */
    public Optional<Path> tlsCert() {
        return Optional.ofNullable(tlsSettings.cert());
    }

    /** The PEM private key ({@code SUHO_HUB_TLS_KEY}), present whenever {@link #tlsCert()} is. */
    public Optional<Path> tlsKey() {
        return Optional.ofNullable(tlsSettings.key());
    }

    /** The keystore's password; present whenever {@link #tlsKeystore()} is. */
    public Optional<Secret> tlsKeystorePassword() {
        return Optional.ofNullable(tlsSettings.keystorePassword());
    }

    /** {@code POSTGRES_SSLMODE}: how the probe checks PostgreSQL's certificate when TLS is on. */
    public String postgresSslMode() {
        return postgresSslMode;
    }

    /** {@code POSTGRES_SSLROOTCERT}, or {@code null} for the JVM's trust store. */
    public String postgresSslRootCert() {
        return postgresSslRootCert;
    }

    /**
     * PEM file of the CAs whose client certificates registrations must present ({@code SUHO_HUB_TLS_CLIENT_CA});
     * empty: registrations need the token only.
     */
    public Optional<Path> tlsClientCa() {
        return Optional.ofNullable(tlsSettings.clientCa());
    }

    /** Most open client connections ({@code SUHO_HUB_MAX_CONNECTIONS}). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Idle timeout of a connection that is not waiting in a long-poll ({@code SUHO_HUB_IDLE_TIMEOUT}). */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Most long-polls waiting at once ({@code SUHO_HUB_MAX_WAITERS}). */
    public int maxWaiters() {
        return maxWaiters;
    }

    /** Most long-polls one client address may have waiting ({@code SUHO_HUB_MAX_WAITERS_PER_CLIENT}). */
    public int maxWaitersPerClient() {
        return maxWaitersPerClient;
    }

    /** HTTP port ({@code SUHO_HUB_PORT}, default 7000; 0 picks a free port). */
    public int port() {
        return port;
    }

    /** gRPC port ({@code SUHO_HUB_GRPC_PORT}; 0 picks a free port); empty: the hub serves no gRPC. */
    public java.util.OptionalInt grpcPort() {
        return grpcPort == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(grpcPort);
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
    /** Where the registry lives ({@code SUHO_HUB_REGISTRY}) and, for NATS, how to reach the bucket. */
    public RegistrySettings registry() {
        return registry;
    }

    public List<Secret> secrets() {
        return secrets;
    }

    @Override
    public String toString() {
        return "HubConfig{bind=" + bindHost + ", port=" + port + ", tls=" + tls() + ", token="
                + (token == null ? "none" : "****") + ", readToken=" + (readToken == null ? "none" : "****")
                + ", stores="
                + targets.keySet() + ", required=" + required + "}";
    }
}
