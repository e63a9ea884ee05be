package io.suho.client.messaging.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.suho.client.core.spi.Backoff;
import io.suho.client.core.spi.CallDetail;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.EventHandler;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.events.DeadLetters;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.events.EventFormatException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable JetStream pull consumer loop on its own thread: fetch a batch, hand each event to the handler, ack on
 * success, nak with delay on failure, dead-letter after {@code maxDeliver} failed deliveries. The server-side
 * The handler runs as a consumer observation that continues the publisher's trace ({@code traceparent}), with
 * {@code traceId}/{@code spanId} in the MDC. What the handler gets — decoded events or raw messages, one at a time or
 * one fetch at a time — is the {@link Delivery}'s choice. The server-side {@code max_deliver} is two more than the spec's so that a dead-letter publish that fails (NATS briefly away) is
 * retried on a later delivery instead of being dropped.
 */
final class JetStreamPullConsumer implements EventConsumer {
    private static final Logger log = LoggerFactory.getLogger(JetStreamPullConsumer.class);
    /** Extra server-side deliveries kept in reserve for a failed dead-letter publish. */
    static final int DLQ_HEADROOM = 2;
    /** Wait between fetches while disconnected: short at first, so the loop resumes soon after a reconnect. */
    private static final Backoff FETCH_BACKOFF = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(2));

    private final Connection conn;
    private final JetStream js;
    private final PullConsumerSpec spec;
    private final Delivery<Message> delivery;
    /** Runs each handler call as a consumer observation continuing the publisher's trace. */
    private final StoreExecutor exec;
    private final Duration timeout;
    private final String dlqSubject;
    private final Consumer<EventConsumer> onClosed;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Counter handledCounter;
    private final Counter failedCounter;
    private final Counter dlqCounter;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running = true;
    private JetStreamSubscription sub;
    private Thread thread;

    private JetStreamPullConsumer(Connection conn, JetStream js, PullConsumerSpec spec, Delivery<Message> delivery,
            Duration timeout, MeterRegistry reg, String service, Consumer<EventConsumer> onClosed, StoreExecutor exec) {
        this.exec = exec;
        this.conn = conn;
        this.js = js;
        this.spec = spec;
        this.delivery = delivery;
        this.timeout = timeout;
        this.dlqSubject = spec.effectiveDeadLetterSubject();
        this.onClosed = onClosed;
        this.handledCounter = counter(reg, service, "success");
        this.failedCounter = counter(reg, service, "retry");
        this.dlqCounter = counter(reg, service, "dead_letter");
    }

    private Counter counter(MeterRegistry reg, String service, String outcome) {
        return Counter.builder("suho.nats.consumer.events").description("Events processed by JetStream consumers")
                .tag("service", service).tag("consumer", spec.durable()).tag("outcome", outcome).register(reg);
    }

    static JetStreamPullConsumer start(Connection conn, JetStream js, JetStreamManagement jsm, PullConsumerSpec spec,
            Delivery<Message> delivery, Duration timeout, MeterRegistry reg, String service, Consumer<EventConsumer> onClosed,
            StoreExecutor exec) throws Exception {
        String dlq = spec.effectiveDeadLetterSubject();
        List<String> capturing = jsm.getStreamNames(dlq);
        if (capturing.isEmpty()) {
            String name = spec.stream() + "_DLQ";
            try {
                jsm.addStream(StreamConfiguration.builder().name(name).subjects(dlq).storageType(StorageType.File)
                        .maxAge(Duration.ofDays(30)).build());
                log.info("created dead-letter stream {} on {}", name, dlq);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != 10058) { // name in use: another instance created it, or it has subjects
                    throw e;
                }
                StreamConfiguration have = jsm.getStreamInfo(name).getConfiguration();
                if (!have.getSubjects().contains(dlq)) {
                    List<String> subjects = new java.util.ArrayList<>(have.getSubjects());
                    subjects.add(dlq);
                    jsm.updateStream(StreamConfiguration.builder(have).subjects(subjects).build());
                }
            }
        }
        ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder().durable(spec.durable())
                .ackPolicy(AckPolicy.Explicit).ackWait(spec.ackWait()).deliverPolicy(DeliverPolicy.All)
                .maxDeliver(spec.maxDeliver() + DLQ_HEADROOM);
        if (spec.filterSubject() != null) {
            cc.filterSubject(spec.filterSubject());
        }
        jsm.addOrUpdateConsumer(spec.stream(), cc.build());
        JetStreamPullConsumer c = new JetStreamPullConsumer(conn, js, spec, delivery, timeout, reg, service, onClosed,
                exec);
        c.sub = js.subscribe(spec.filterSubject(), PullSubscribeOptions.bind(spec.stream(), spec.durable()));
        c.thread = new Thread(c::loop, "suho-nats-consumer-" + spec.durable());
        c.thread.setDaemon(true);
        c.thread.start();
        return c;
    }

    private void loop() {
        int failedFetches = 0;
        try {
            while (running) {
                List<Message> batch;
                try {
                    batch = sub.fetch(spec.batchSize(), Duration.ofMillis(500));
                    failedFetches = 0;
                } catch (IllegalStateException e) {
                    // disconnected / reconnecting: wait (interruptible by close) and pull again
                    log.debug("fetch on {} failed: {}", spec.durable(), e.toString());
                    failedFetches = Math.min(failedFetches + 1, 64);
                    if (stop.await(FETCH_BACKOFF.delayNanos(failedFetches), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                    continue;
                }
                if (delivery.batches()) {
                    processBatch(batch);
                    continue;
                }
                for (Message m : batch) {
                    if (m.isJetStream()) {
                        process(m);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("JetStream consumer {} stopped on an unexpected error", spec.durable(), e);
        } finally {
            running = false;
            try {
                if (sub.isActive()) {
                    sub.unsubscribe(); // the durable consumer and its position stay on the server
                }
            } catch (RuntimeException e) {
                log.debug("unsubscribe of {} failed: {}", spec.durable(), e.toString());
            }
            finished.countDown();
            onClosed.accept(this);
        }
    }

    /**
     * One fetch for a batch handler: undecodable events are dead-lettered alone, the rest go to the handler as one
     * batch and are acked together; a batch that fails is handed over one message at a time with the single-message
     * rules (nak with delay, dead letters after {@code maxDeliver}).
     */
    private void processBatch(List<Message> fetched) {
        List<Message> batch = new ArrayList<>(fetched.size());
        List<Event> events = new ArrayList<>(fetched.size());
        for (Message m : fetched) {
            if (!m.isJetStream()) {
                continue;
            }
            if (delivery.needsEvent()) {
                try {
                    events.add(EventCodec.fromNats(m));
                } catch (EventFormatException e) {
                    deadLetter(m, e, m.metaData().deliveredCount());
                    continue;
                }
            }
            batch.add(m);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<Message> all = List.copyOf(batch);
            List<Event> allEvents = List.copyOf(events);
            exec.process("js_consume_batch", CallDetail.received(all.get(0).getSubject(), Map.of()), () -> {
                delivery.batch(all, allEvents);
                return null;
            });
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failedCounter.increment();
            log.debug("batch handler failed for {} messages on {}; handing them over one at a time: {}",
                    batch.size(), spec.durable(), e.toString());
            batch.forEach(this::process);
            return;
        }
        for (Message m : batch) {
            m.ack();
        }
        handled.addAndGet(batch.size());
        handledCounter.increment(batch.size());
    }

    private void process(Message m) {
        long delivered = m.metaData().deliveredCount();
        Event event = null;
        if (delivery.needsEvent()) {
            try {
                event = EventCodec.fromNats(m);
            } catch (EventFormatException e) {
                deadLetter(m, e, delivered);
                return;
            }
        }
        try {
            Event received = event;
            exec.process("js_consume", CallDetail.received(m.getSubject(),
                    event != null ? TraceHeaders.of(event) : rawTrace(m)), () -> {
                        delivery.one(m, received);
                        return null;
                    });
            m.ack();
            handled.incrementAndGet();
            handledCounter.increment();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof EventHandler.PermanentFailure || delivered >= spec.maxDeliver()) {
                deadLetter(m, e, delivered);
            } else {
                failedCounter.increment();
                log.debug("handler failed for {} on {} (delivery {} of {}): {}",
                        event != null ? "event " + event.id() : "message " + m.metaData().streamSequence(),
                        spec.durable(),
                        delivered, spec.maxDeliver(), e.toString());
                m.nakWithDelay(spec.retryDelay());
            }
        }
    }

    /** The W3C trace headers of a raw message, when its publisher set them. */
    private static Map<String, String> rawTrace(Message m) {
        Headers h = m.getHeaders();
        String parent = h == null ? null : h.getFirst(EventCodec.TRACEPARENT);
        if (parent == null) {
            return Map.of();
        }
        String state = h.getFirst(EventCodec.TRACESTATE);
        return state == null ? Map.of(EventCodec.TRACEPARENT, parent)
                : Map.of(EventCodec.TRACEPARENT, parent, EventCodec.TRACESTATE, state);
    }

    private void deadLetter(Message m, Exception error, long attempts) {
        Headers h = new Headers();
        if (m.getHeaders() != null) {
            for (String k : m.getHeaders().keySet()) {
                h.put(k, m.getHeaders().get(k));
            }
        }
        h.put(DeadLetters.ERROR_CLASS, error.getClass().getName());
        h.put(DeadLetters.ERROR_MESSAGE, DeadLetters.errorMessage(error));
        h.put(DeadLetters.ATTEMPTS, Long.toString(attempts));
        h.put(DeadLetters.FAILED_AT, Instant.now().toString());
        h.put(DeadLetters.ORIGINAL_TOPIC, m.getSubject());
        h.put(DeadLetters.ORIGINAL_PARTITION, m.metaData().getStream());
        h.put(DeadLetters.ORIGINAL_OFFSET, Long.toString(m.metaData().streamSequence()));
        h.put(DeadLetters.CONSUMER, spec.durable());
        String msgId = m.getHeaders() == null ? null : m.getHeaders().getFirst(EventCodec.NATS_MSG_ID);
        if (msgId == null) {
            msgId = m.metaData().getStream() + "-" + m.metaData().streamSequence();
            h.put(EventCodec.NATS_MSG_ID, msgId);
        }
        NatsMessage out = NatsMessage.builder().subject(dlqSubject).headers(h).data(m.getData()).build();
        try {
            js.publish(out, PublishOptions.builder().streamTimeout(timeout).messageId(msgId).build());
            m.term();
            deadLettered.incrementAndGet();
            dlqCounter.increment();
            log.warn("dead-lettered message {} of {} to {} after {} deliveries: {}", msgId, spec.durable(),
                    dlqSubject, attempts, error.toString());
        } catch (Exception e) {
            // Not terminated: the server redelivers it (max_deliver has headroom) and we try the DLQ again.
            log.warn("could not dead-letter message {} to {} ({}); it will be redelivered", msgId, dlqSubject,
                    e.toString());
            m.nakWithDelay(spec.retryDelay());
        }
    }

    @Override
    public String name() {
        return spec.durable();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public long handled() {
        return handled.get();
    }

    @Override
    public long deadLettered() {
        return deadLettered.get();
    }

    @Override
    public void close() {
        running = false;
        stop.countDown();
        try {
            // the current fetch ends within its 500 ms wait; the batch in hand is finished first
            if (!finished.await(Math.max(5_000, timeout.toMillis() * 3), TimeUnit.MILLISECONDS)) {
                log.warn("JetStream consumer {} did not stop in time; interrupting", spec.durable());
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "JetStreamPullConsumer{" + spec.durable() + " on " + spec.stream() + "}";
    }
}
