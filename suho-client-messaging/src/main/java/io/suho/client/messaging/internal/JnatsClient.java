package io.suho.client.messaging.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AccountStatistics;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.suho.client.core.HostPort;
import io.suho.client.core.NativeCall;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.messaging.Event;
import io.suho.client.messaging.EventCodec;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.EventHandler;
import io.suho.client.messaging.JsAck;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.client.messaging.StreamSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NatsClient} over one jnats connection; also the started NATS store (probe, failure policy, close).
 * Thread-safe.
 */
public final class JnatsClient implements NatsClient, StartedStore {
    private static final Logger log = LoggerFactory.getLogger(JnatsClient.class);

    private final StoreContext ctx;
    private final StoreExecutor exec;
    private final Connection conn;
    private final JetStreamOptions jso;
    private final Duration timeout;
    private final Counter handlerErrors;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    /** Made again on (re)connect: jnats picks its JetStream API variants from the server version it sees then. */
    private volatile JetStream js;
    private volatile JetStreamManagement jsm;
    private volatile String lastError;

    private JnatsClient(StoreContext ctx, Connection conn, JetStreamOptions jso) throws IOException {
        this.ctx = ctx;
        this.exec = ctx.executor();
        this.conn = conn;
        this.jso = jso;
        this.timeout = ctx.resilience().timeout();
        this.js = conn.jetStream(jso);
        this.jsm = conn.jetStreamManagement(jso);
        MeterRegistry reg = ctx.meterRegistry();
        this.handlerErrors = Counter.builder("suho.nats.handler.errors")
                .description("Exceptions thrown by NATS subscription handlers").tag("service", ctx.serviceName())
                .register(reg);
        Gauge.builder("suho.nats.connected", conn, c -> c.getStatus() == Connection.Status.CONNECTED ? 1 : 0)
                .description("1 while the NATS connection is connected").tag("service", ctx.serviceName())
                .register(reg);
        Gauge.builder("suho.nats.reconnects", conn, c -> c.getStatistics().getReconnects())
                .description("Reconnects of the NATS connection").tag("service", ctx.serviceName()).register(reg);
    }

    /**
     * Connects, or — when NATS is down at start — returns a client whose connection keeps trying in the background
     * (publishes fail at once as not sent until it connects). Waits for the first attempt's outcome only.
     */
    public static JnatsClient open(StoreContext ctx) throws Exception {
        SuhoConfig config = ctx.config();
        Duration timeout = ctx.resilience().timeout();
        boolean tls = config.bool(StoreKeys.tls(Store.NATS), false);
        List<HostPort> hosts = config.hosts(Store.NATS);
        String[] urls = hosts.stream().map(h -> (tls ? "tls://" : "nats://") + h.host() + ":" + h.port())
                .toArray(String[]::new);
        Counter.Builder events = Counter.builder("suho.nats.connection.events")
                .description("NATS connection events (disconnected, reconnected, …)").tag("service", ctx.serviceName());
        MeterRegistry reg = ctx.meterRegistry();
        JnatsClient[] self = new JnatsClient[1];
        StoreExecutor executor = ctx.executor();
        // jnats hands out the connection object only through these events when it connects in the background
        CompletableFuture<Connection> reported = new CompletableFuture<>();
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        ConnectionListener listener = (c, type) -> {
            reported.complete(c);
            if (type == ConnectionListener.Events.CONNECTED || type == ConnectionListener.Events.RECONNECTED) {
                connected.complete(c);
                JnatsClient me = self[0];
                if (me != null) {
                    me.refreshJetStream();
                }
                if (type == ConnectionListener.Events.RECONNECTED) {
                    executor.recordHealthy(); // the server answers again: let the breaker close now, not on a probe
                }
            }
            events.tag("event", type.name().toLowerCase(java.util.Locale.ROOT)).register(reg).increment();
            if (type == ConnectionListener.Events.DISCONNECTED || type == ConnectionListener.Events.CLOSED) {
                log.warn("NATS {}", type.getEvent());
            } else {
                log.info("NATS {}", type.getEvent());
            }
        };
        Options.Builder ob = new Options.Builder()
                .servers(urls)
                .connectionName(ctx.serviceName())
                .maxReconnects(-1)
                .reconnectWait(config.duration(NatsModule.RECONNECT_WAIT, Duration.ofMillis(100)))
                .reconnectJitter(Duration.ofMillis(50))
                .reconnectBufferSize(config.longValue(NatsModule.RECONNECT_BUFFER, 8L * 1024 * 1024, -1,
                        Long.MAX_VALUE))
                .pingInterval(config.duration(NatsModule.PING_INTERVAL, Duration.ofSeconds(5)))
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
                        }
                    }
                });
        String user = config.get(StoreKeys.user(Store.NATS)).orElse(null);
        Secret password = config.secret(StoreKeys.password(Store.NATS)).orElse(null);
        if (user != null && password != null) {
            ob.userInfo(user.toCharArray(), password.revealChars());
        } else if (password != null) {
            ob.token(password.revealChars());
        }
        // not Nats.connectReconnectOnConnect: it blocks until a server answers, forever with maxReconnects(-1)
        Nats.connectAsynchronously(ob.build(), true);
        Connection conn = firstConnection(connected, reported, timeout, hosts.size());
        JnatsClient client = new JnatsClient(ctx, conn, JetStreamOptions.builder().requestTimeout(timeout).build());
        self[0] = client;
        if (conn.getStatus() == Connection.Status.CONNECTED) {
            client.refreshJetStream(); // in case it connected between the constructor and self[0]
        }
        log.info("NATS client for {} ({}; status {})", String.join(",", urls), ctx.resilience(), conn.getStatus());
        return client;
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

    private void refreshJetStream() {
        try {
            js = conn.jetStream(jso);
            jsm = conn.jetStreamManagement(jso);
        } catch (IOException | RuntimeException e) {
            log.debug("could not refresh the JetStream contexts: {}", e.toString()); // the previous ones still work
        }
    }

    // ------------------------------------------------------------------ core NATS

    @Override
    public void publish(String subject, byte[] data) {
        requireSubject(subject);
        exec.run("publish", false, () -> {
            conn.publish(subject, data);
            return null;
        });
    }

    @Override
    public void publish(String subject, Event event) {
        requireSubject(subject);
        NatsMessage m = EventCodec.toNats(subject, event);
        exec.run("publish", false, () -> {
            conn.publish(m);
            return null;
        });
    }

    @Override
    public Message request(String subject, byte[] data) {
        return request(subject, data, timeout);
    }

    @Override
    public Message request(String subject, byte[] data, Duration timeout) {
        requireSubject(subject);
        Objects.requireNonNull(timeout, "timeout");
        // A request is read-only from NATS' point of view, but the responder may not be: never retried.
        return exec.call("request", false, () -> {
            CompletableFuture<Message> reply = conn.requestWithTimeout(subject, data, timeout);
            try {
                return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (CancellationException e) {
                // jnats cancels at once when the server answers 503 (nobody subscribes to the subject); a
                // cancellation by its cleanup or by the connection closing leaves the outcome unknown
                if (reply instanceof NatsRequestCompletableFuture f && !f.wasCancelledClosing()
                        && !f.wasCancelledTimedOut()) {
                    throw new NatsFailures.NoResponders(subject);
                }
                throw e;
            } catch (TimeoutException e) {
                reply.cancel(false);
                throw new TimeoutException("no reply on " + subject + " within " + timeout.toMillis() + " ms");
            }
        });
    }

    @Override
    public AutoCloseable subscribe(String subject, String queueGroup, Consumer<Message> handler) {
        requireSubject(subject);
        Objects.requireNonNull(handler, "handler");
        Dispatcher d = conn.createDispatcher(m -> {
            try {
                handler.accept(m);
            } catch (RuntimeException e) {
                handlerErrors.increment();
                log.warn("handler for NATS subject {} threw; message dropped, delivery continues", subject, e);
            }
        });
        if (queueGroup == null) {
            d.subscribe(subject);
        } else {
            d.subscribe(subject, queueGroup);
        }
        AutoCloseable handle = new AutoCloseable() {
            private volatile boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    open.remove(this);
                    conn.closeDispatcher(d);
                }
            }
        };
        open.add(handle);
        return handle;
    }

    // ------------------------------------------------------------------ JetStream

    @Override
    public boolean ensureStream(StreamSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return exec.call("ensure_stream", true, () -> {
            StreamConfiguration wanted = StreamConfiguration.builder()
                    .name(spec.name()).subjects(spec.subjects()).maxAge(spec.maxAge())
                    .duplicateWindow(spec.duplicateWindow())
                    .storageType(spec.memory() ? StorageType.Memory : StorageType.File)
                    .replicas(spec.replicas()).build();
            StreamInfo info;
            try {
                info = jsm.getStreamInfo(spec.name());
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != 10059) { // stream not found
                    throw e;
                }
                jsm.addStream(wanted);
                log.info("created JetStream stream {} on {}", spec.name(), spec.subjects());
                return true;
            }
            StreamConfiguration have = info.getConfiguration();
            if (have.getStorageType() != wanted.getStorageType()) {
                throw new StoreOperationException(Store.NATS, "ensure_stream", "storage",
                        "stream " + spec.name() + " exists with " + have.getStorageType() + " storage but "
                                + wanted.getStorageType() + " was asked for; storage cannot change in place", null);
            }
            boolean same = new HashSet<>(have.getSubjects()).equals(new HashSet<>(spec.subjects()))
                    && have.getMaxAge().equals(spec.maxAge())
                    && have.getDuplicateWindow().equals(spec.duplicateWindow())
                    && have.getReplicas() == spec.replicas();
            if (same) {
                return false;
            }
            jsm.updateStream(wanted);
            log.info("updated JetStream stream {} (subjects {}, maxAge {}, duplicate window {}, replicas {})",
                    spec.name(), spec.subjects(), spec.maxAge(), spec.duplicateWindow(), spec.replicas());
            return true;
        });
    }

    @Override
    public JsAck jsPublish(String subject, Event event) {
        requireSubject(subject);
        NatsMessage m = EventCodec.toNats(subject, event);
        PublishOptions opts = publishOptions(event);
        // One attempt bounded by the timeout: a retry after a timeout would hold the caller twice as long, and a
        // re-publish with the same Nats-Msg-Id is just as safe when the caller does it after recovery.
        return exec.call("js_publish", false, () -> {
            requireConnected();
            PublishAck ack;
            try {
                ack = js.publish(m, opts);
            } catch (Exception e) {
                throw unansweredAsAmbiguous("js_publish", event, e);
            }
            return new JsAck(ack.getStream(), ack.getSeqno(), ack.isDuplicate(), false);
        });
    }

    @Override
    public CompletionStage<JsAck> jsPublishAsync(String subject, Event event) {
        requireSubject(subject);
        NatsMessage m = EventCodec.toNats(subject, event);
        PublishOptions opts = publishOptions(event);
        return exec.callAsync("js_publish_async", false, () -> {
            if (conn.getStatus() != Connection.Status.CONNECTED) {
                return CompletableFuture.failedFuture(new NatsFailures.NotConnected(conn.getStatus()));
            }
            return js.publishAsync(m, opts).handle((ack, e) -> {
                if (e == null) {
                    return new JsAck(ack.getStream(), ack.getSeqno(), ack.isDuplicate(), false);
                }
                throw new CompletionException(unansweredAsAmbiguous("js_publish_async", event, Causes.unwrap(e)));
            });
        });
    }

    /**
     * A publish failure as the caller should see it: one whose outcome is unknown (no ack in time, the connection
     * lost after the message left) becomes an {@code AmbiguousPublishException} with the event id; the others
     * (not connected, no stream, an API error) stay as they are for the store's policy.
     */
    private Exception unansweredAsAmbiguous(String operation, Event event, Throwable e) {
        if (NatsFailures.POLICY.classify(e).kind() == FailureKind.TIMEOUT) {
            return NatsFailures.ambiguous(operation, timeout, event, e);
        }
        return e instanceof Exception ex ? ex : new CompletionException(e);
    }

    /**
     * While jnats reconnects a publish would go to its reconnect buffer and time out with an unknown outcome; failing
     * at once instead is cheaper for the caller and certain: nothing was sent.
     */
    private void requireConnected() {
        Connection.Status status = conn.getStatus();
        if (status != Connection.Status.CONNECTED) {
            throw new NatsFailures.NotConnected(status);
        }
    }

    private PublishOptions publishOptions(Event event) {
        return PublishOptions.builder().streamTimeout(timeout).messageId(event.id().toString()).build();
    }

    @Override
    public EventConsumer consume(PullConsumerSpec spec, EventHandler handler) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(handler, "handler");
        JetStreamPullConsumer c = exec.call("consumer_create", true,
                () -> JetStreamPullConsumer.start(conn, js, jsm, spec, handler, timeout, ctx.meterRegistry(),
                        ctx.serviceName(), open::remove));
        open.add(c);
        return c;
    }

    @Override
    public Connection connection() {
        return conn;
    }

    @Override
    public <R> R execute(String operation, boolean idempotent, NativeCall<Connection, R> call) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        return exec.call(operation, idempotent, () -> call.call(conn));
    }

    // ------------------------------------------------------------------ started store

    @Override
    public <T> T client(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
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
            AccountStatistics stats = jsm.getAccountStatistics();
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
        for (AutoCloseable c : List.copyOf(open)) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c, e.toString());
            }
        }
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

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank() || subject.contains(" ")) {
            throw new IllegalArgumentException("NATS subject must be non-empty without spaces, was '" + subject + "'");
        }
    }

}
