package io.suho.client.messaging.internal;

import io.suho.client.core.spi.FailureKind;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caller deadlines and in-process deduplication for Kafka sends.
 *
 * <p>The producer keeps an unacknowledged record for {@code delivery.timeout.ms} (long, default 2 min) and retries it
 * with the same producer id, epoch and sequence, which the broker deduplicates. The caller, though, is answered within
 * the store timeout: a send still unacknowledged at its deadline completes with {@link SendTimeout} (for an event: an
 * {@code AmbiguousPublishException} carrying its id) and its event id is remembered here with the record still in
 * flight. A re-send of that event id from this client joins the first attempt instead of producing a second record;
 * once the first attempt is acked, re-sends get its metadata for {@code retention}. One daemon thread checks deadlines
 * every few milliseconds — no timer per send.
 */
final class KafkaSends implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaSends.class);
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final int MAX_REMEMBERED = 100_000;

    private final Duration timeout;
    private final long timeoutNanos;
    private final long retentionNanos;
    private final ConcurrentLinkedQueue<Send> inFlight = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<UUID, Late> late = new ConcurrentHashMap<>();
    private final Thread sweeper;
    private volatile boolean running = true;

    KafkaSends(Duration timeout, Duration retention, String name) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.retentionNanos = retention.toNanos();
        this.sweeper = new Thread(this::sweepLoop, "suho-kafka-deadlines-" + name);
        sweeper.setDaemon(true);
        sweeper.start();
    }

    /** A send in flight: the caller's future and the producer callback in one object. */
    final class Send extends CompletableFuture<RecordMetadata> implements Callback {
        final String operation;
        final UUID eventId;
        final long deadline;
        volatile Late lateEntry;

        Send(String operation, UUID eventId) {
            this.operation = operation;
            this.eventId = eventId;
            this.deadline = System.nanoTime() + timeoutNanos;
        }

        @Override
        public void onCompletion(RecordMetadata md, Exception e) {
            boolean first = e == null ? complete(md) : fail(e);
            if (!first) {
                Late l = lateEntry;
                if (l != null) {
                    l.finish(md, e);
                }
            }
        }

        /**
         * Completes the caller's future with {@code e}; for an event whose outcome is unknown (not acked in time, or
         * the producer's own delivery timeout) with an {@code AmbiguousPublishException} carrying its id, so the
         * caller knows what to re-send. A failure before the record was appended (no metadata) stays as it is: the
         * store's policy reads it as not sent.
         */
        boolean fail(Throwable e) {
            if (isDone()) {
                return false; // the producer's late outcome: the caller was answered already
            }
            if (eventId != null && KafkaFailures.POLICY.classify(e).kind() == FailureKind.TIMEOUT) {
                return completeExceptionally(KafkaFailures.ambiguous(operation, timeout, eventId, e));
            }
            return completeExceptionally(e);
        }
    }

    /** The outcome of a send the caller gave up on; {@code result} completes when the producer knows. */
    static final class Late {
        final CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        volatile long expiresAt;

        void finish(RecordMetadata md, Exception e) {
            if (e == null) {
                result.complete(md);
            } else {
                result.completeExceptionally(e);
            }
        }
    }

    /** Completes a caller's future when its send was not acked within the store timeout: the outcome is unknown. */
    static final class SendTimeout extends org.apache.kafka.common.errors.TimeoutException {
        private static final long serialVersionUID = 1L;

        SendTimeout(long timeoutMs) {
            super("not acked within " + timeoutMs + " ms; the producer keeps the record in flight and retries it");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // thrown in bulk during an outage; the stack of the sweeper thread says nothing
        }
    }

    /** Tracks a new send (eventId may be null for raw records: deadline only, no deduplication). */
    Send track(String operation, UUID eventId) {
        Send s = new Send(operation, eventId);
        inFlight.offer(s);
        return s;
    }

    /** The earlier, ambiguous attempt of {@code eventId} that is still in flight or was acked late; else null. */
    Late earlier(UUID eventId) {
        if (late.isEmpty()) {
            return null;
        }
        Late l = late.get(eventId);
        if (l != null && l.result.isCompletedExceptionally()) {
            late.remove(eventId, l); // the producer gave up on it: a re-send must send again
            return null;
        }
        return l;
    }

    /** Ambiguous sends remembered (in flight or acked late). */
    int remembered() {
        return late.size();
    }

    /** A caller future completed with the outcome of {@code l}, or with a timeout at the caller's deadline. */
    CompletableFuture<RecordMetadata> join(String operation, UUID eventId, Late l) {
        Send s = track(operation, eventId);
        s.lateEntry = l;
        l.result.whenComplete((md, e) -> s.onCompletion(md, asException(e)));
        return s;
    }

    private void sweepLoop() {
        while (running) {
            LockSupport.parkNanos(SWEEP_NANOS);
            try {
                sweep(System.nanoTime());
            } catch (RuntimeException e) {
                log.warn("Kafka send deadline sweep failed", e);
            }
        }
    }

    void sweep(long now) {
        Send s;
        while ((s = inFlight.peek()) != null) {
            if (!s.isDone()) {
                if (now - s.deadline < 0) {
                    break; // sends are queued in deadline order
                }
                expire(s);
            }
            inFlight.poll();
        }
        if (!late.isEmpty()) {
            Iterator<Map.Entry<UUID, Late>> it = late.entrySet().iterator();
            while (it.hasNext()) {
                Late l = it.next().getValue();
                if (l.result.isDone() && now - l.expiresAt > 0) {
                    it.remove();
                }
            }
        }
    }

    private void expire(Send s) {
        if (s.eventId != null && s.lateEntry == null && late.size() < MAX_REMEMBERED) {
            Late l = new Late();
            l.expiresAt = System.nanoTime() + retentionNanos;
            s.lateEntry = l; // before completing: the producer callback then hands its outcome to l
            Late prev = late.putIfAbsent(s.eventId, l);
            if (prev != null) {
                s.lateEntry = prev;
                l = prev;
            }
            Late target = l;
            if (!s.fail(new SendTimeout(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)))) {
                s.whenComplete((md, e) -> target.finish(md, asException(e)));
            }
            return;
        }
        s.fail(new SendTimeout(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
    }

    private static Exception asException(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c == null ? null : c instanceof Exception e ? e : new RuntimeException(c);
    }

    @Override
    public void close() {
        running = false;
        sweeper.interrupt();
    }
}
