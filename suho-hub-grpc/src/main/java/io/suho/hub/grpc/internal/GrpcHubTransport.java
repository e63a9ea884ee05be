package io.suho.hub.grpc.internal;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Secret;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.hub.HubLease;
import io.suho.client.core.hub.HubRefusedException;
import io.suho.client.core.hub.HubRegistration;
import io.suho.client.core.hub.HubTransport;
import io.suho.client.core.hub.HubTransportSettings;
import io.suho.hub.api.v1.DeregisterRequest;
import io.suho.hub.api.v1.GetEndpointsRequest;
import io.suho.hub.api.v1.HeartbeatRequest;
import io.suho.hub.api.v1.HubGrpc;
import io.suho.hub.api.v1.RegisterResponse;
import io.suho.hub.api.v1.StoreReports;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * One hub's gRPC port as a {@link HubTransport}: unary calls for the catalog, registration, heartbeats and
 * deregistration, each with its deadline; the catalog watch on one {@code WatchEndpoints} stream
 * ({@link CatalogWatch}). One HTTP/2 connection on one daemon I/O thread (grpc-netty-shaded); callbacks run on it.
 * Registration presents {@code authorization: Bearer <token>}, reads the read token (or the token), heartbeats and
 * deregistration the lease secret. A refusal (INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND,
 * RESOURCE_EXHAUSTED, …) is a {@link HubRefusedException}; UNAVAILABLE, DEADLINE_EXCEEDED and the rest are plain
 * {@link IOException}s, on which the SDK moves to the next hub. Thread-safe.
 */
public final class GrpcHubTransport implements HubTransport {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private final URI uri;
    private final EventLoopGroup io;
    private final ManagedChannel channel;
    private final @Nullable CallCredentials write;
    private final @Nullable CallCredentials read;
    private final CatalogWatch watch;

    private GrpcHubTransport(URI uri, EventLoopGroup io, ManagedChannel channel, @Nullable Secret token,
            @Nullable Secret readToken) {
        this.uri = uri;
        this.io = io;
        this.channel = channel;
        this.write = token == null ? null : bearer(token);
        Secret r = readToken != null ? readToken : token;
        this.read = r == null ? null : bearer(r);
        this.watch = new CatalogWatch(() -> reads(HubGrpc.newStub(channel)), this::failure);
    }

    /**
     * A transport to the hub at {@code settings.uri()}: {@code http://host:port} (plaintext) or
     * {@code https://host:port} (TLS with the settings' CA file and client keystore, or the JVM's trust store).
     *
     * @throws IllegalArgumentException for another scheme, a missing port, or unreadable TLS files
     */
    public static GrpcHubTransport open(HubTransportSettings settings) {
        URI uri = settings.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("the grpc hub transport needs http://host:port (plaintext) or"
                    + " https://host:port (TLS) naming the hub's gRPC port (SUHO_HUB_GRPC_PORT), got " + uri);
        }
        if (uri.getPort() < 0) {
            throw new IllegalArgumentException("the grpc hub transport needs the hub's gRPC port in " + uri
                    + " (SUHO_HUB_GRPC_PORT), e.g. " + scheme + "://" + uri.getHost() + ":7001");
        }
        ChannelCredentials credentials = scheme.equals("https") ? tls(settings) : InsecureChannelCredentials.create();
        EventLoopGroup io = new NioEventLoopGroup(1, new DefaultThreadFactory("suho-hub-grpc", true));
        ManagedChannel channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort(), credentials)
                .eventLoopGroup(io).channelType(NioSocketChannel.class)
                // every callback is short (it hands a message over), so no executor of its own
                .directExecutor()
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                // a watch holds its connection for hours: ping it so a dead hub is noticed (the hub permits 20 s)
                .keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS)
                .userAgent("suho-java")
                .build();
        return new GrpcHubTransport(uri, io, channel, settings.token(), settings.readToken());
    }

    private static ChannelCredentials tls(HubTransportSettings s) {
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        try {
            if (s.caFile() != null) {
                b.trustManager(s.caFile().toFile());
            }
            if (s.keystore() != null) {
                char[] pw = s.keystorePassword() == null ? new char[0] : s.keystorePassword().revealChars();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(s.keystore())) {
                    ks.load(in, pw);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
                b.keyManager(kmf.getKeyManagers());
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS files for the gRPC hub transport cannot be used (CA file "
                    + s.caFile() + ", keystore " + s.keystore() + "): " + e.getMessage(), e);
        }
        return b.build();
    }

    private static CallCredentials bearer(Secret token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(AUTHORIZATION, "Bearer " + token.reveal());
                applier.apply(m);
            }
        };
    }

    private <S extends io.grpc.stub.AbstractStub<S>> S reads(S stub) {
        return read == null ? stub : stub.withCallCredentials(read);
    }

    private HubGrpc.HubBlockingStub blocking(Duration timeout) {
        return HubGrpc.newBlockingStub(channel).withDeadlineAfter(Math.max(1, timeout.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public EndpointCatalog endpoints(Duration timeout) throws IOException, InterruptedException {
        io.suho.hub.api.v1.EndpointCatalog c;
        try {
            c = reads(blocking(timeout)).getEndpoints(GetEndpointsRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw failure("GetEndpoints", e);
        }
        return GrpcMessages.catalog(c);
    }

    /** Waits on the watch stream: no request per wait, the hub pushes each change as it is published. */
    @Override
    public Optional<EndpointCatalog> awaitChange(long version, Duration wait) throws IOException,
            InterruptedException {
        return watch.awaitChange(version, wait);
    }

    @Override
    public HubLease register(HubRegistration registration, Duration timeout) throws IOException,
            InterruptedException {
        HubGrpc.HubBlockingStub stub = blocking(timeout);
        if (write != null) {
            stub = stub.withCallCredentials(write);
        }
        RegisterResponse r;
        try {
            r = stub.register(GrpcMessages.registration(registration));
        } catch (StatusRuntimeException e) {
            throw failure("Register", e);
        }
        return new HubLease(r.getInstanceId(), r.getLeaseSecret().isEmpty() ? null : Secret.of(r.getLeaseSecret()));
    }

    @Override
    public boolean heartbeat(HubLease lease, Heartbeat heartbeat, Duration timeout) throws IOException,
            InterruptedException {
        HeartbeatRequest.Builder b = HeartbeatRequest.newBuilder().setInstanceId(lease.instanceId())
                .setLeaseSecret(lease.secret() == null ? "" : lease.secret().reveal());
        StoreReports reports = GrpcMessages.reports(heartbeat);
        if (reports != null) {
            b.setReports(reports);
        }
        try {
            blocking(timeout).heartbeat(b.build());
            return true;
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND || code == Status.Code.PERMISSION_DENIED) {
                return false; // the hub does not know the lease (expired, or a restarted hub): register again
            }
            throw failure("Heartbeat", e);
        }
    }

    @Override
    public void deregister(HubLease lease, Duration timeout) throws IOException, InterruptedException {
        try {
            blocking(timeout).deregister(DeregisterRequest.newBuilder().setInstanceId(lease.instanceId())
                    .setLeaseSecret(lease.secret() == null ? "" : lease.secret().reveal()).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw failure("Deregister", e);
            }
        }
    }

    @Override
    public void close() {
        watch.close();
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /**
     * A call's failure for the SDK: the hub's refusal as a {@link HubRefusedException} with the HTTP status it maps to
     * (no failover), anything else as an {@link IOException} (the SDK moves to the next hub).
     *
     * @throws InterruptedException when the calling thread was interrupted during the call
     */
    private IOException failure(String call, StatusRuntimeException e) throws InterruptedException {
        if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
            Thread.interrupted();
            throw new InterruptedException("interrupted during gRPC " + call + " to hub " + uri);
        }
        return failure(e);
    }

    private IOException failure(Throwable t) {
        Status s = Status.fromThrowable(t);
        String message = "hub " + uri + " (gRPC) answered " + s.getCode()
                + (s.getDescription() == null ? "" : ": " + s.getDescription());
        int http = switch (s.getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, FAILED_PRECONDITION -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            default -> 0;
        };
        return http == 0 ? new IOException(message, t) : new HubRefusedException(http, message);
    }
}
