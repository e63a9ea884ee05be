package io.suho.hub.internal;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.suho.hub.api.v1.HubGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's gRPC port ({@code SUHO_HUB_GRPC_PORT}): HTTP/2 on Netty (grpc-netty-shaded), on the HTTP API's bind address
 * and with its TLS identity when it has one, serving {@code suho.hub.v1.Hub} ({@link GrpcHubService}), the standard
 * health service {@code grpc.health.v1.Health} and server reflection ({@code grpc.reflection.v1}).
 *
 * <p>Health: service {@code ""} is SERVING while every required store is up (what makes {@code GET /v1/health}
 * answer 200) and NOT_SERVING otherwise; service {@code suho.hub.v1.Hub} is SERVING once the first probe round has
 * finished (what {@code GET /v1/health/ready} says); both turn NOT_SERVING for good at {@link #close()}. They are
 * re-read every second. Calls are measured by Micrometer's gRPC interceptor ({@code grpc.server.*}); open watch
 * streams are the gauge {@code suho.hub.grpc.watchers}. Thread-safe.
 */
public final class GrpcListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GrpcListener.class);
    /** The calls that change the registry: off the I/O threads. */
    private static final Set<String> WRITES = Set.of(HubGrpc.getRegisterMethod().getFullMethodName(),
            HubGrpc.getHeartbeatMethod().getFullMethodName(), HubGrpc.getDeregisterMethod().getFullMethodName());

    private final Server server;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService calls;
    private final EndpointWatches watches;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ScheduledFuture<?> healthUpdates;
    private final HubHandler.Deps deps;

    private GrpcListener(HubHandler.Deps deps, String bindHost, int port, ServerCredentials tls,
            ScheduledExecutorService scheduler) throws IOException {
        this.deps = deps;
        HubAccess access = new HubAccess(deps);
        watches = new EndpointWatches(deps.endpoints(), deps.maxWaitSeconds());
        // small, fixed thread counts: the hub's memory budget is a few tens of MB (docs/operations.md)
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("suho-hub-grpc-accept", true));
        // one I/O thread per core up to 4, as the HTTP connector's selectors: reads are answered on them
        workers = new NioEventLoopGroup(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                new DefaultThreadFactory("suho-hub-grpc-io", true));
        AtomicInteger n = new AtomicInteger();
        calls = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "suho-hub-grpc-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        InetSocketAddress address = new InetSocketAddress(bindHost, port);
        NettyServerBuilder b = tls == null ? NettyServerBuilder.forAddress(address)
                : NettyServerBuilder.forAddress(address, tls);
        b.bossEventLoopGroup(boss).workerEventLoopGroup(workers).channelType(NioServerSocketChannel.class)
                // reads answer from memory on the I/O thread (as the HTTP handler does); registry writes may wait
                // for a shared registry (NATS KV), so they run on the small call pool and never stall a connection
                .directExecutor()
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata headers) {
                        return WRITES.contains(call.getMethodDescriptor().getFullMethodName()) ? calls : null;
                    }
                })
                // the HTTP API's body limit; a larger message is refused with RESOURCE_EXHAUSTED
                .maxInboundMessageSize(deps.maxBodyBytes())
                // watchers hold streams for hours: let clients ping every 20 s, and ping idle ones to find dead peers
                .permitKeepAliveTime(20, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                .keepAliveTime(60, TimeUnit.SECONDS).keepAliveTimeout(20, TimeUnit.SECONDS)
                .addService(new GrpcHubService(deps, access, watches))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .intercept(GrpcCaller.interceptor())
                .intercept(new MetricCollectingServerInterceptor(deps.metrics()));
        server = b.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            shutDownThreads();
            throw e;
        }
        Gauge.builder("suho.hub.grpc.watchers", watches, EndpointWatches::open)
                .description("gRPC WatchEndpoints streams open").register(deps.metrics());
        updateHealth();
        healthUpdates = scheduler.scheduleWithFixedDelay(this::updateHealth, 1, 1, TimeUnit.SECONDS);
        log.info("gRPC API listening on {}:{}{}", bindHost, port(), tls == null ? "" : " (TLS)");
    }

    /**
     * Starts the gRPC port.
     *
     * @param deps what the HTTP API serves from, with its limits and tokens
     * @param bindHost the HTTP API's bind address
     * @param port the port, 0 for a free one
     * @param tls the hub's TLS identity, or {@code null} for plaintext (only when the HTTP API is plain too)
     * @param scheduler the hub's scheduler (health updates)
     * @throws IOException when the port cannot be bound
     */
    public static GrpcListener start(HubHandler.Deps deps, String bindHost, int port, ServerCredentials tls,
            ScheduledExecutorService scheduler) throws IOException {
        return new GrpcListener(deps, bindHost, port, tls, scheduler);
    }

    /** The port listened on. */
    public int port() {
        return server.getPort();
    }

    private void updateHealth() {
        try {
            health.setStatus("", deps.health().requiredUp() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
            health.setStatus(HubGrpc.SERVICE_NAME, deps.ready().getAsBoolean() ? ServingStatus.SERVING
                    : ServingStatus.NOT_SERVING);
        } catch (RuntimeException e) {
            log.warn("updating the gRPC health status: {}", e.toString());
        }
    }

    /**
     * Turns health NOT_SERVING, ends the watch streams with UNAVAILABLE, stops accepting calls and lets running ones
     * finish (at most 5 s).
     */
    @Override
    public void close() {
        healthUpdates.cancel(false);
        health.enterTerminalState();
        watches.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        shutDownThreads();
    }

    private void shutDownThreads() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        calls.shutdownNow();
    }
}
