package io.suho.client.messaging.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.suho.client.core.NativeCall;
import io.suho.client.core.spi.CallDetail;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.messaging.BatchHandler;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.EventHandler;
import io.suho.client.messaging.JsAck;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.NatsMessageHandler;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.client.messaging.StreamSpec;
import io.suho.client.messaging.Subjects;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NatsClient} over the runtime's jnats connection: core NATS publish, request and subscribe, JetStream
 * publish with the event id as {@code Nats-Msg-Id} (a publish whose outcome is unknown becomes an
 * {@code AmbiguousPublishException}), stream provisioning ({@link JetStreamAdmin}) and pull consumers. Every call runs
 * through the store's pipeline. Subscriptions and consumers it opened are closed by {@link NatsRuntime#close()};
 * the connection itself is the runtime's. Thread-safe.
 */
public final class JnatsNatsClient implements NatsClient {
    private static final Logger log = LoggerFactory.getLogger(JnatsNatsClient.class);

    private final Connection conn;
    private final JetStreamContexts jet;
    private final JetStreamAdmin admin;
    private final StoreExecutor exec;
    private final Duration timeout;
    private final MeterRegistry registry;
    private final String service;
    private final Counter handlerErrors;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    JnatsNatsClient(Connection conn, JetStreamContexts jet, JetStreamAdmin admin, StoreExecutor exec,
            Duration timeout, MeterRegistry registry, String service) {
        this.conn = conn;
        this.jet = jet;
        this.admin = admin;
        this.exec = exec;
        this.timeout = timeout;
        this.registry = registry;
        this.service = service;
        this.handlerErrors = Counter.builder("suho.nats.handler.errors")
                .description("Exceptions thrown by NATS subscription handlers").tag("service", service)
                .register(registry);
    }

    // ------------------------------------------------------------------ core NATS

    @Override
    public void publish(String subject, byte[] data) {
        Subjects.publishSubject(subject);
        exec.run("publish", false, () -> {
            conn.publish(subject, data);
            return null;
        });
    }

    @Override
    public void publish(String subject, Event event) {
        Subjects.publishSubject(subject);
        CallDetail detail = CallDetail.sending(subject);
        exec.call("publish", detail, false, () -> {
            conn.publish(EventCodec.toNats(subject, event.withTraceContext(detail.traceHeaders())));
            return null;
        });
    }

    @Override
    public Message request(String subject, byte[] data) {
        return request(subject, data, timeout);
    }

    @Override
    public Message request(String subject, byte[] data, Duration timeout) {
        Subjects.publishSubject(subject);
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
    public Subscription subscribe(String subject, String queueGroup, Consumer<Message> handler) {
        Subjects.subscribeSubject(subject);
        requireQueueGroup(subject, queueGroup);
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
        Subscription handle = new Subscription() {
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
        return admin.ensureStream(spec);
    }

    @Override
    public JsAck jsPublish(String subject, Event event) {
        Subjects.publishSubject(subject);
        PublishOptions opts = publishOptions(event);
        CallDetail detail = CallDetail.sending(subject);
        // One attempt bounded by the timeout: a retry after a timeout would hold the caller twice as long, and a
        // re-publish with the same Nats-Msg-Id is just as safe when the caller does it after recovery.
        return exec.call("js_publish", detail, false, () -> {
            requireConnected();
            NatsMessage m = EventCodec.toNats(subject, event.withTraceContext(detail.traceHeaders()));
            PublishAck ack;
            try {
                ack = jet.publishing().publish(m, opts);
            } catch (Exception e) {
                throw unansweredAsAmbiguous("js_publish", event, e);
            }
            return new JsAck(ack.getStream(), ack.getSeqno(), ack.isDuplicate(), false);
        });
    }

    @Override
    public CompletionStage<JsAck> jsPublishAsync(String subject, Event event) {
        Subjects.publishSubject(subject);
        PublishOptions opts = publishOptions(event);
        CallDetail detail = CallDetail.sending(subject);
        return exec.callAsync("js_publish_async", detail, false, () -> {
            if (conn.getStatus() != Connection.Status.CONNECTED) {
                return CompletableFuture.failedFuture(new NatsFailures.NotConnected(conn.getStatus()));
            }
            NatsMessage m = EventCodec.toNats(subject, event.withTraceContext(detail.traceHeaders()));
            return jet.publishing().publishAsync(m, opts).handle((ack, e) -> {
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
        return start(spec, Delivery.events(handler));
    }

    @Override
    public EventConsumer consumeMessages(PullConsumerSpec spec, NatsMessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return start(spec, Delivery.raw((m, e) -> handler.handle(m)));
    }

    @Override
    public EventConsumer consumeBatches(PullConsumerSpec spec, BatchHandler<Event> handler) {
        return start(spec, Delivery.eventBatches(handler));
    }

    @Override
    public EventConsumer consumeMessageBatches(PullConsumerSpec spec, BatchHandler<Message> handler) {
        return start(spec, Delivery.rawBatches(handler));
    }

    private EventConsumer start(PullConsumerSpec spec, Delivery<Message> delivery) {
        Objects.requireNonNull(spec, "spec");
        JetStreamPullConsumer c = exec.call("consumer_create", true,
                () -> JetStreamPullConsumer.start(conn, jet.publishing(), jet.management(), spec, delivery, timeout,
                        registry, service, open::remove, exec));
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

    /** Closes the subscriptions and pull consumers this client opened and has not closed yet. */
    void closeSubscriptions() {
        for (AutoCloseable c : List.copyOf(open)) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }

    private static void requireQueueGroup(String subject, String queueGroup) {
        if (queueGroup != null && (queueGroup.isEmpty() || queueGroup.chars().anyMatch(
                c -> Character.isWhitespace(c) || Character.isISOControl(c)))) {
            throw new IllegalArgumentException("NATS queue group '" + queueGroup + "' for subject '" + subject
                    + "' is invalid: it must be non-empty without whitespace or control characters (or null for none)");
        }
    }
}
