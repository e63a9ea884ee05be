package io.suho.client.messaging;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A durable JetStream pull consumer for {@link NatsClient#consume}: which stream and subjects it reads, how often a
 * message may be delivered ({@code maxDeliver}) before it goes to the dead-letter subject, how long the server waits
 * for an ack before redelivering, the delay before a failed message is redelivered, and the fetch batch size.
 * Immutable.
 *
 * @param stream the stream to read
 * @param durable durable consumer name (its position survives restarts)
 * @param filterSubject subject filter within the stream, or {@code null} for all
 * @param maxDeliver deliveries before dead-lettering (at least 1)
 * @param ackWait how long the server waits for an ack before redelivering
 * @param retryDelay how long a failed message waits before redelivery (nak delay)
 * @param batchSize messages fetched per pull
 * @param deadLetterSubject where exhausted messages go, or {@code null} for {@code dlq.<stream>.<durable>}; the
 *        SDK creates a stream {@code <stream>_DLQ} capturing it (30-day retention) unless a stream already does
 */
public record PullConsumerSpec(String stream, String durable, @Nullable String filterSubject, int maxDeliver, Duration ackWait,
        Duration retryDelay, int batchSize, @Nullable String deadLetterSubject) {

    public PullConsumerSpec {
        Objects.requireNonNull(stream, "stream");
        if (durable == null || !durable.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("durable name " + durable + " must be 1-64 of [A-Za-z0-9_-]");
        }
        if (maxDeliver < 1) {
            throw new IllegalArgumentException("maxDeliver must be at least 1, was " + maxDeliver);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be 1..10000, was " + batchSize);
        }
        Objects.requireNonNull(ackWait, "ackWait");
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (filterSubject != null) {
            Subjects.subscribeSubject(filterSubject);
        }
        if (deadLetterSubject != null) {
            Subjects.publishSubject(deadLetterSubject);
        }
    }

    /** maxDeliver 5, ackWait 30 s, retry delay 1 s, batch 64, dead letters to {@code dlq.<stream>.<durable>}. */
    public static PullConsumerSpec of(String stream, String durable) {
        return new PullConsumerSpec(stream, durable, null, 5, Duration.ofSeconds(30), Duration.ofSeconds(1), 64, null);
    }

    public PullConsumerSpec withFilterSubject(String subject) {
        return new PullConsumerSpec(stream, durable, subject, maxDeliver, ackWait, retryDelay, batchSize,
                deadLetterSubject);
    }

    public PullConsumerSpec withMaxDeliver(int n) {
        return new PullConsumerSpec(stream, durable, filterSubject, n, ackWait, retryDelay, batchSize,
                deadLetterSubject);
    }

    public PullConsumerSpec withAckWait(Duration d) {
        return new PullConsumerSpec(stream, durable, filterSubject, maxDeliver, d, retryDelay, batchSize,
                deadLetterSubject);
    }

    public PullConsumerSpec withRetryDelay(Duration d) {
        return new PullConsumerSpec(stream, durable, filterSubject, maxDeliver, ackWait, d, batchSize,
                deadLetterSubject);
    }

    public PullConsumerSpec withBatchSize(int n) {
        return new PullConsumerSpec(stream, durable, filterSubject, maxDeliver, ackWait, retryDelay, n,
                deadLetterSubject);
    }

    public PullConsumerSpec withDeadLetterSubject(String subject) {
        return new PullConsumerSpec(stream, durable, filterSubject, maxDeliver, ackWait, retryDelay, batchSize,
                subject);
    }

    /** The dead-letter subject in effect. */
    public String effectiveDeadLetterSubject() {
        return deadLetterSubject != null ? deadLetterSubject : "dlq." + stream + "." + durable;
    }
}
