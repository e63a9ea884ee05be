package io.suho.client.vector.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The vector module's settings, read and validated once from {@link SuhoConfig} at start: where Weaviate's REST and
 * gRPC ports are, TLS, the optional API key, batch size and the timeout. Weaviate's client takes whole seconds, so
 * the timeout is rounded up to at least one second; it bounds every REST call and gRPC deadline, batch requests
 * included (size batches with {@code suho.vector.batch.size} so one completes well within it). Its keys are declared
 * here, typed, each with its one default. Immutable.
 *
 * @param host REST host (the first of {@code suho.vector.hosts})
 * @param httpPort REST port
 * @param grpcHost gRPC host
 * @param grpcPort gRPC port
 * @param tls whether both use TLS
 * @param caFile PEM file of the CA(s) the server certificate must chain to (REST and gRPC), empty for the JVM's
 *        trust store; used only with {@code tls}
 * @param apiKey API key, empty for anonymous access
 * @param timeout per-call timeout (queries, upserts, batches, REST calls)
 * @param batchSize objects per batch request
 */
public record WeaviateSettings(String host, int httpPort, String grpcHost, int grpcPort, boolean tls,
        Optional<Path> caFile, Optional<Secret> apiKey, Duration timeout, int batchSize) {

    private static final Store V = Store.VECTOR;

    static final ConfigKey<String> GRPC_HOST_KEY = ConfigKey.custom("suho.vector.grpc.host",
            "Host of Weaviate's gRPC API (searches and batch upserts); empty = the REST host.",
            WeaviateSettings::grpcHost, h -> h, null);
    static final ConfigKey<Integer> GRPC_PORT_KEY = ConfigKey.integer("suho.vector.grpc.port",
            "Port of Weaviate's gRPC API.", 50051, 1, 65535);
    static final ConfigKey<String> TLS_CA_FILE_KEY = ConfigKey.string("suho.vector.tls.ca-file", "PEM file of the"
            + " CA certificate(s) Weaviate's certificate must chain to, for REST and gRPC, with suho.vector.tls=true"
            + " (default: the JVM's trust store).", null).withEnvAliases("WEAVIATE_TLS_CA_FILE");
    static final ConfigKey<Integer> BATCH_SIZE_KEY = ConfigKey.integer("suho.vector.batch.size",
            "Objects per batch request in upsertAll (1..10000).", 100, 1, 10_000);

    public static final String GRPC_HOST = GRPC_HOST_KEY.name();
    public static final String GRPC_PORT = GRPC_PORT_KEY.name();
    public static final String BATCH_SIZE = BATCH_SIZE_KEY.name();
    public static final String TLS_CA_FILE = TLS_CA_FILE_KEY.name();

    /** The keys this module reads beyond the common ones, each with its one default. */
    public static List<ConfigKey<?>> keys() {
        return List.of(GRPC_HOST_KEY, GRPC_PORT_KEY, BATCH_SIZE_KEY, TLS_CA_FILE_KEY);
    }

    private static String grpcHost(String text) {
        String h = text.trim();
        if (h.contains("://") || h.contains("/")) {
            throw new IllegalArgumentException("expected a host name without scheme or path");
        }
        return h;
    }

    public WeaviateSettings {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** Reads and validates the settings; throws {@link ConfigurationException} naming the key. */
    public static WeaviateSettings from(SuhoConfig config, Duration timeout) {
        return from(config, timeout, config.get(StoreKeys.hostsKey(V)).get(0));
    }

    /** Checks every value that is set, as {@link #from} would, without requiring {@code hosts}. */
    static void validate(SuhoConfig config) {
        HostPort first = config.optional(StoreKeys.hostsKey(V)).map(h -> h.get(0))
                .orElse(new HostPort("validation", StoreKeys.defaultPort(V)));
        from(config, Duration.ofSeconds(1), first);
    }

    private static WeaviateSettings from(SuhoConfig config, Duration timeout, HostPort first) {
        return new WeaviateSettings(first.host(), first.port(), config.optional(GRPC_HOST_KEY).orElse(first.host()),
                config.get(GRPC_PORT_KEY), config.get(StoreKeys.tlsKey(V)), caFile(config),
                config.optional(StoreKeys.passwordKey(V)).filter(s -> !s.isEmpty()), timeout,
                config.get(BATCH_SIZE_KEY));
    }

    /** The configured CA file, checked to be a readable file; empty when unset. */
    private static Optional<Path> caFile(SuhoConfig config) {
        Optional<String> ca = config.optional(TLS_CA_FILE_KEY).map(String::trim).filter(t -> !t.isEmpty());
        if (ca.isPresent() && !Files.isReadable(Path.of(ca.get()))) {
            throw new ConfigurationException(TLS_CA_FILE, TLS_CA_FILE + " = " + ca.get()
                    + " is not a readable file; fix: point it at the PEM file of the CA that signed Weaviate's"
                    + " certificate");
        }
        return ca.map(Path::of);
    }

    /** Whether more than one REST host was configured (only the first is used: Weaviate sits behind one address). */
    public static boolean severalHosts(SuhoConfig config) {
        return config.get(StoreKeys.hostsKey(V)).size() > 1;
    }

    /** {@link #timeout} in whole seconds, at least 1. */
    public int timeoutSeconds() {
        return ceilSeconds(timeout);
    }

    static int ceilSeconds(Duration d) {
        long ms = d.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ms + 999) / 1000));
    }

    /** {@code http(s)://host:port} of the REST API. */
    public String baseUrl() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "https" : "http") + "://" + h + ":" + httpPort;
    }

    @Override
    public String toString() {
        return "WeaviateSettings{" + baseUrl() + ", grpc " + grpcHost + ":" + grpcPort + ", auth "
                + (apiKey.isPresent() ? "api-key" : "anonymous") + (tls && caFile.isPresent() ? ", ca " + caFile.get() : "")
                + ", timeout " + timeout + ", batch " + batchSize + "}";
    }
}
