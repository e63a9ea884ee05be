package io.suho.client.vector.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The vector module's settings, read and validated once from {@link SuhoConfig} at start: where Weaviate's REST and
 * gRPC ports are, TLS, the optional API key, batch size and the timeout. Weaviate's client takes whole seconds, so
 * the timeout is rounded up to at least one second; it bounds every REST call and gRPC deadline, batch requests
 * included (size batches with {@code suho.vector.batch.size} so one completes well within it). Immutable.
 *
 * @param host REST host (the first of {@code suho.vector.hosts})
 * @param httpPort REST port
 * @param grpcHost gRPC host
 * @param grpcPort gRPC port
 * @param tls whether both use TLS
 * @param apiKey API key, empty for anonymous access
 * @param timeout per-call timeout (queries, upserts, batches, REST calls)
 * @param batchSize objects per batch request
 */
public record WeaviateSettings(String host, int httpPort, String grpcHost, int grpcPort, boolean tls,
        Optional<Secret> apiKey, Duration timeout, int batchSize) {

    public static final String GRPC_HOST = "suho.vector.grpc.host";
    public static final String GRPC_PORT = "suho.vector.grpc.port";
    public static final String BATCH_SIZE = "suho.vector.batch.size";

    /** The keys this module reads beyond the common ones. */
    public static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.of(GRPC_HOST, "Host of Weaviate's gRPC API (searches and batch upserts); empty = the REST"
                        + " host.", null),
                ConfigKey.of(GRPC_PORT, "Port of Weaviate's gRPC API.", "50051"),
                ConfigKey.of(BATCH_SIZE, "Objects per batch request in upsertAll (1..10000).", "100"));
    }

    public WeaviateSettings {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** Reads and validates the settings; throws {@link io.suho.client.core.ConfigurationException} naming the key. */
    public static WeaviateSettings from(SuhoConfig config, Duration timeout) {
        List<HostPort> hosts = config.hosts(Store.VECTOR);
        HostPort first = hosts.get(0);
        boolean tls = config.bool(StoreKeys.tls(Store.VECTOR), false);
        String grpcHost = config.get(GRPC_HOST).map(String::trim).orElse(first.host());
        if (grpcHost.contains("://") || grpcHost.contains("/")) {
            throw config.invalid(config.find(GRPC_HOST).orElseThrow(), "expected a host name without scheme or path");
        }
        int grpcPort = config.intValue(GRPC_PORT, 50051, 1, 65535);
        int batchSize = config.intValue(BATCH_SIZE, 100, 1, 10_000);
        Optional<Secret> key = config.secret(StoreKeys.password(Store.VECTOR)).filter(s -> !s.isEmpty());
        return new WeaviateSettings(first.host(), first.port(), grpcHost, grpcPort, tls, key, timeout, batchSize);
    }

    /** Whether more than one REST host was configured (only the first is used: Weaviate sits behind one address). */
    public static boolean severalHosts(SuhoConfig config) {
        return config.hosts(Store.VECTOR).size() > 1;
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
                + (apiKey.isPresent() ? "api-key" : "anonymous") + ", timeout " + timeout + ", batch " + batchSize + "}";
    }
}
