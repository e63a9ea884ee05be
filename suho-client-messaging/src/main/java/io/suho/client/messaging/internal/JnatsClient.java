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
import io.suho.client.core.HealthStatus;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreRuntime;
import io.suho.client.messaging.AmbiguousPublishException;
import io.suho.client.messaging.Event;
import io.suho.client.messaging.EventCodec;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.EventHandler;
import io.suho.client.messaging.JsAck;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.client.messaging.StreamSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NatsClient} over one jnats connection; also the NATS store runtime (health, close). Thread-safe.
 */
public final class JnatsClient implements NatsClient, StoreRuntime {
    private static final Logger log = LoggerFactory.getLogger(JnatsClient.class);

    private final StoreContext ctx;
    private final StoreExecutor exec;
    private final Connection conn;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final Duration timeout;
    private final PublishOptions.Builder publishDefaults;
    private final Counter handlerErrors;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private volatile String lastError;

    private JnatsClient(StoreContext ctx, Connection conn, JetStream js, JetStreamManagement jsm) {
        this.ctx = ctx;
        this.exec = ctx.executor();
        this.conn = conn;
        this.js = js;
        this.jsm = jsm;
        this.timeout = ctx.resilience().timeout();
        this.publishDefaults = PublishOptions.builder().streamTimeout(timeout);
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

    /** Connects (or starts reconnecting in the background when NATS is down at start). */
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
        ConnectionListener listener = (c, type) -> {
            events.tag("event", type.name().toLowerCase(java.util.Locale.ROOT)).register(reg).increment();
            if (type == ConnectionListener.Events.RECONNECTED) {
                executor.recordHealthy(); // the server answers again: let the breaker close now, not on a probe
            }
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
        Connection conn = Nats.connectReconnectOnConnect(ob.build());
        JetStreamOptions jso = JetStreamOptions.builder().requestTimeout(timeout).build();
        JnatsClient client = new JnatsClient(ctx, conn, conn.jetStream(jso), conn.jetStreamManagement(jso));
        self[0] = client;
        log.info("NATS client for {} ({}; status {})", String.join(",", urls), ctx.resilience(), conn.getStatus());
        return client;
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
            Message reply = conn.request(subject, data, timeout);
            if (reply == null) {
                throw new TimeoutException("no reply on " + subject + " within " + timeout.toMillis() + " ms");
            }
            return reply;
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
        try {
            return exec.call("js_publish", false, () -> {
                requireConnected();
                PublishAck ack = js.publish(m, opts);
                return new JsAck(ack.getStream(), ack.getSeqno(), ack.isDuplicate(), false);
            });
        } catch (StoreUnavailableException e) {
            if (!e.breakerOpen() && e.getCause() != null
                    && NatsFailures.classify(e.getCause()) == FailureKind.TIMEOUT) {
                throw ambiguous(event, e);
            }
            throw e;
        }
    }

    @Override
    public CompletionStage<JsAck> jsPublishAsync(String subject, Event event) {
        requireSubject(subject);
        NatsMessage m = EventCodec.toNats(subject, event);
        PublishOptions opts = publishOptions(event);
        CompletionStage<JsAck> stage = exec.callAsync("js_publish_async", false, () -> {
            if (conn.getStatus() != Connection.Status.CONNECTED) {
                return CompletableFuture.failedFuture(notConnected());
            }
            return js.publishAsync(m, opts)
                    .thenApply(ack -> new JsAck(ack.getStream(), ack.getSeqno(), ack.isDuplicate(), false));
        });
        return stage.handle((ack, err) -> {
            if (err == null) {
                return CompletableFuture.completedFuture(ack);
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof StoreUnavailableException su && !su.breakerOpen()
                    && su.getCause() != null && NatsFailures.classify(su.getCause()) == FailureKind.TIMEOUT) {
                cause = ambiguous(event, su);
            }
            return CompletableFuture.<JsAck>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /**
     * While jnats reconnects a publish would go to its reconnect buffer and time out with an unknown outcome; failing
     * at once instead is cheaper for the caller and certain: nothing was sent.
     */
    private void requireConnected() {
        if (conn.getStatus() != Connection.Status.CONNECTED) {
            throw notConnected();
        }
    }

    private IllegalStateException notConnected() {
        return new IllegalStateException("NATS not connected (connection is " + conn.getStatus()
                + "); nothing was sent");
    }

    private PublishOptions publishOptions(Event event) {
        return PublishOptions.builder().streamTimeout(timeout).messageId(event.id().toString()).build();
    }

    private AmbiguousPublishException ambiguous(Event event, StoreUnavailableException e) {
        return new AmbiguousPublishException(Store.NATS, event.id(), "JetStream publish of event " + event.id()
                + " (" + event.type() + ") timed out: it may or may not be stored; re-publish the same event "
                + "(same id, deduplicated by the stream)", e);
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

    // ------------------------------------------------------------------ runtime

    @Override
    public <T> T client(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("the NATS module provides NatsClient, not " + type.getName());
    }

    @Override
    public StoreHealth health() {
        long start = System.nanoTime();
        Map<String, Object> detail = new LinkedHashMap<>();
        Connection.Status status = conn.getStatus();
        detail.put("status", status.name());
        detail.put("server", String.valueOf(conn.getConnectedUrl()));
        detail.put("reconnects", conn.getStatistics().getReconnects());
        detail.put("breaker", exec.breakerState());
        if (status != Connection.Status.CONNECTED) {
            return StoreHealth.down(Store.NATS, elapsed(start), "connection is " + status
                    + (lastError == null ? "" : " (last error: " + lastError + ")"), detail);
        }
        try {
            detail.put("rtt_us", conn.RTT().toNanos() / 1000);
            AccountStatistics stats = jsm.getAccountStatistics();
            detail.put("jetstream_streams", stats.getStreams());
            detail.put("jetstream_consumers", stats.getConsumers());
            detail.put("jetstream_storage_bytes", stats.getStorage());
            return StoreHealth.up(Store.NATS, elapsed(start), detail);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new StoreHealth(Store.NATS, HealthStatus.DEGRADED, elapsed(start), Instant.now(),
                    "connected, but JetStream did not answer: " + e, detail);
        }
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
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
