package io.suho.client.messaging.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AccountStatistics;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.messaging.NatsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started NATS store: one jnats connection that reconnects forever in the background, its JetStream contexts
 * (made again on every reconnect), the {@link JnatsNatsClient} over them, connection meters
 * ({@code suho.nats.connected}, {@code suho.nats.reconnects}, {@code suho.nats.connection.events}), health from the
 * connection status, RTT and JetStream account statistics, and close (the client's subscriptions and consumers, a
 * bounded flush, the connection). Thread-safe.
 */
public final class NatsRuntime implements StartedStore {
    private static final Logger log = LoggerFactory.getLogger(NatsRuntime.class);

    private final Connection conn;
    private final JetStreamContexts jet;
    private final JnatsNatsClient client;
    private final Duration timeout;
    private volatile String lastError;
    /** Set by {@link #close()}: the DISCONNECTED/CLOSED events that follow are the expected end, not a warning. */
    private volatile boolean closing;

    private NatsRuntime(StoreContext ctx, NatsSettings settings, Connection conn) throws IOException {
        this.conn = conn;
        this.timeout = settings.timeout();
        this.jet = new JetStreamContexts(conn, JetStreamOptions.builder().requestTimeout(timeout).build());
        StoreExecutor exec = ctx.executor();
        this.client = new JnatsNatsClient(conn, jet, new JetStreamAdmin(jet, exec), exec, timeout,
                ctx.meterRegistry(), ctx.serviceName());
        MeterRegistry reg = ctx.meterRegistry();
        Gauge.builder("suho.nats.connected", conn, c -> c.getStatus() == Connection.Status.CONNECTED ? 1 : 0)
                .description("1 while the NATS connection is connected").tag("service", ctx.serviceName())
                .register(reg);
        Gauge.builder("suho.nats.reconnects", conn, c -> c.getStatistics().getReconnects())
                .description("Reconnects of the NATS connection").tag("service", ctx.serviceName()).register(reg);
    }

    /**
     * Connects, or — when NATS is down at start — returns a runtime whose connection keeps trying in the background
     * (publishes fail at once as not sent until it connects). Waits for the first attempt's outcome only.
     */
    static NatsRuntime open(StoreContext ctx, NatsSettings settings) throws Exception {
        Duration timeout = settings.timeout();
        String[] urls = settings.urls();
        Counter.Builder events = Counter.builder("suho.nats.connection.events")
                .description("NATS connection events (disconnected, reconnected, …)").tag("service", ctx.serviceName());
        MeterRegistry reg = ctx.meterRegistry();
        NatsRuntime[] self = new NatsRuntime[1];
        java.util.concurrent.atomic.AtomicReference<String> early = new java.util.concurrent.atomic.AtomicReference<>();
        StoreExecutor executor = ctx.executor();
        // jnats hands out the connection object only through these events when it connects in the background
        CompletableFuture<Connection> reported = new CompletableFuture<>();
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        ConnectionListener listener = (c, type) -> {
            reported.complete(c);
            if (type == ConnectionListener.Events.CONNECTED || type == ConnectionListener.Events.RECONNECTED) {
                connected.complete(c);
                NatsRuntime me = self[0];
                if (me != null) {
                    me.jet.refresh();
                }
                if (type == ConnectionListener.Events.RECONNECTED) {
                    executor.recordHealthy(); // the server answers again: let the breaker close now, not on a probe
                }
            }
            events.tag("event", type.name().toLowerCase(Locale.ROOT)).register(reg).increment();
            boolean lost = type == ConnectionListener.Events.DISCONNECTED || type == ConnectionListener.Events.CLOSED;
            if (lost && self[0] != null && self[0].closing) {
                log.debug("NATS {} (client closed)", type.getEvent()); // a normal close is not a warning
            } else if (lost) {
                log.warn("NATS {}", type.getEvent());
            } else {
                log.info("NATS {}", type.getEvent());
            }
        };
        Options.Builder ob = new Options.Builder()
                .servers(urls)
                .connectionName(ctx.serviceName())
                .maxReconnects(-1)
                .reconnectWait(settings.reconnectWait())
                .reconnectJitter(Duration.ofMillis(50))
                .reconnectBufferSize(settings.reconnectBufferBytes())
                .pingInterval(settings.pingInterval())
                .connectionTimeout(timeout)
                // jnats times out a request future without its own deadline (publishAsync's) only at this cleanup
                // interval (default 5 s): the store timeout keeps jsPublishAsync within one to two timeouts
                .requestCleanupInterval(timeout)
                .connectionListener(listener)
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection c, String error) {
                        log.warn("NATS server error: {}", error);
                        if (self[0] != null) {
                            self[0].lastError = error;
                        }
                    }

                    @Override
                    public void exceptionOccurred(Connection c, Exception e) {
                        log.debug("NATS connection exception: {}", e.toString());
                        if (c == null) {
                            reported.completeExceptionally(e); // the background connect could not even begin
                        }
                        if (self[0] != null) {
                            self[0].lastError = e.toString();
                        } else {
                            early.set(e.toString()); // e.g. a refused TLS handshake on the first attempt
                        }
                    }
                });
        String user = settings.user().orElse(null);
        java.util.Optional<io.nats.client.AuthHandler> auth = NatsSettings.authHandler(ctx.config());
        if (settings.tls()) {
            NatsSettings.sslContext(ctx.config()).ifPresent(ob::sslContext); // a private CA; host names still checked
        }
        if (auth.isPresent()) {
            ob.authHandler(auth.get()); // credentials file or NKey seed: no password crosses the network
        } else if (user != null && settings.password().isPresent()) {
            ob.userInfo(user.toCharArray(), settings.password().get().revealChars());
        } else if (settings.password().isPresent()) {
            ob.token(settings.password().get().revealChars());
        }
        // not Nats.connectReconnectOnConnect: it blocks until a server answers, forever with maxReconnects(-1)
        Nats.connectAsynchronously(ob.build(), true);
        Connection conn = firstConnection(connected, reported, timeout, settings.hosts().size());
        NatsRuntime runtime = new NatsRuntime(ctx, settings, conn);
        self[0] = runtime;
        if (runtime.lastError == null) {
            runtime.lastError = early.get(); // what went wrong before the runtime existed, so health can say why
        }
        if (conn.getStatus() == Connection.Status.CONNECTED) {
            runtime.jet.refresh(); // in case it connected between the constructor and self[0]
        }
        log.info("NATS client for {} ({}; status {})", String.join(",", urls), ctx.resilience(), conn.getStatus());
        return runtime;
    }

    /**
     * The connection once it connected, or once the first attempt on every server failed (each bounded by the
     * connection timeout): then it goes on reconnecting in the background.
     */
    private static Connection firstConnection(CompletableFuture<Connection> connected,
            CompletableFuture<Connection> reported, Duration timeout, int servers) throws Exception {
        long wait = timeout.toMillis() * Math.max(1, servers) + 100;
        try {
            return connected.get(wait, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillTrying) {
            try {
                return reported.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException nothing) {
                throw new IOException("the NATS client reported neither a connection nor a failed attempt within "
                        + (wait + timeout.toMillis() + 1000) + " ms");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
    }

    @Override
    public <T> T client(Class<T> type) {
        if (type.isInstance(client)) {
            return type.cast(client);
        }
        throw new IllegalArgumentException("the NATS module provides NatsClient, not " + type.getName());
    }

    @Override
    public ProbeResult probe() {
        Map<String, Object> detail = new LinkedHashMap<>();
        Connection.Status status = conn.getStatus();
        detail.put("status", status.name());
        detail.put("server", String.valueOf(conn.getConnectedUrl()));
        detail.put("reconnects", conn.getStatistics().getReconnects());
        if (status != Connection.Status.CONNECTED) {
            String last = lastError;
            return ProbeResult.down("connection is " + status + (last == null ? "" : " (last error: " + last + ")"),
                    detail);
        }
        try {
            detail.put("rtt_us", conn.RTT().toNanos() / 1000);
            AccountStatistics stats = jet.management().getAccountStatistics();
            detail.put("jetstream_streams", stats.getStreams());
            detail.put("jetstream_consumers", stats.getConsumers());
            detail.put("jetstream_storage_bytes", stats.getStorage());
            return ProbeResult.up(detail);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return ProbeResult.degraded("connected, but JetStream did not answer: " + Causes.describe(e), detail);
        }
    }

    @Override
    public FailurePolicy failurePolicy() {
        return NatsFailures.POLICY;
    }

    @Override
    public void close() {
        closing = true;
        client.closeSubscriptions();
        try {
            conn.flush(Duration.ofMillis(Math.min(1000, timeout.toMillis())));
        } catch (Exception e) {
            log.debug("flush before close failed: {}", e.toString());
        }
        try {
            conn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
