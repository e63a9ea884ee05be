package io.suho.hub.grpc;

import io.suho.client.core.hub.HubTransport;
import io.suho.client.core.hub.HubTransportProvider;
import io.suho.client.core.hub.HubTransportSettings;
import io.suho.hub.grpc.internal.GrpcHubTransport;

/**
 * The SDK's {@code grpc} hub transport: with this module on the classpath and {@code suho.hub.transport=grpc}, the
 * SDK talks to the hub's gRPC port ({@code SUHO_HUB_GRPC_PORT}) instead of its HTTP API, and watches the endpoint
 * catalog over one {@code WatchEndpoints} stream instead of repeated long-polls. {@code suho.hub.url} /
 * {@code suho.hub.urls} then name the hubs' gRPC ports: {@code http://hub:7001} for plaintext (local development),
 * {@code https://hub:7001} for TLS (trusting {@code suho.hub.tls.ca-file} or the JVM's trust store, presenting
 * {@code suho.hub.tls.keystore} when set). Tokens, lease secrets, failover between hubs and the last-known-good file
 * work as with the HTTP transport.
 *
 * <p>Found by {@link java.util.ServiceLoader}; applications never call it. Stateless; thread-safe.
 */
public final class GrpcHubTransportProvider implements HubTransportProvider {
    /** The value of {@code suho.hub.transport} that selects this transport. */
    public static final String NAME = "grpc";

    /** For {@link java.util.ServiceLoader}. */
    public GrpcHubTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Opens a channel to one hub's gRPC port; it connects on the first call.
     *
     * @throws IllegalArgumentException when the URI is not {@code http://host:port} or {@code https://host:port}, or
     *     the TLS files cannot be read
     */
    @Override
    public HubTransport open(HubTransportSettings settings) {
        return GrpcHubTransport.open(settings);
    }
}
