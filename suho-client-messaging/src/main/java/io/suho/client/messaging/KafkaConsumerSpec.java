package io.suho.client.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka consumer-group loop for {@link KafkaClient#consume}: topics, group id, how many times the handler is tried
 * per record (with a backoff between tries) before the record goes to the dead-letter topic, and how many consumer
 * threads (group members) to run. Immutable.
 *
 * @param topics topics to subscribe to
 * @param groupId consumer group id
 * @param maxAttempts handler attempts per record before dead-lettering (at least 1)
 * @param retryBackoff wait between attempts
 * @param deadLetterTopic DLQ topic, or {@code null} for {@code <first topic>.dlq} (created with the module defaults)
 * @param threads consumer threads in this process (each its own group member)
 * @param maxPollRecords records per poll (the batch committed at once)
 * @param properties extra consumer properties (override the SDK's, e.g. {@code auto.offset.reset})
 */
public record KafkaConsumerSpec(List<String> topics, String groupId, int maxAttempts, Duration retryBackoff,
        @Nullable String deadLetterTopic, int threads, int maxPollRecords, Map<String, String> properties) {

    public KafkaConsumerSpec {
        topics = List.copyOf(Objects.requireNonNull(topics, "topics"));
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a Kafka consumer needs at least one topic");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("a Kafka consumer needs a group id");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64, was " + threads);
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be at least 1, was " + maxPollRecords);
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** 3 attempts 200 ms apart, DLQ {@code <topic>.dlq}, 1 thread, 500 records per poll, from the earliest offset. */
    public static KafkaConsumerSpec of(String groupId, String... topics) {
        return new KafkaConsumerSpec(List.of(topics), groupId, 3, Duration.ofMillis(200), null, 1, 500, Map.of());
    }

    public KafkaConsumerSpec withMaxAttempts(int n) {
        return new KafkaConsumerSpec(topics, groupId, n, retryBackoff, deadLetterTopic, threads, maxPollRecords,
                properties);
    }

    public KafkaConsumerSpec withRetryBackoff(Duration d) {
        return new KafkaConsumerSpec(topics, groupId, maxAttempts, d, deadLetterTopic, threads, maxPollRecords,
                properties);
    }

    public KafkaConsumerSpec withDeadLetterTopic(String topic) {
        return new KafkaConsumerSpec(topics, groupId, maxAttempts, retryBackoff, topic, threads, maxPollRecords,
                properties);
    }

    public KafkaConsumerSpec withThreads(int n) {
        return new KafkaConsumerSpec(topics, groupId, maxAttempts, retryBackoff, deadLetterTopic, n, maxPollRecords,
                properties);
    }

    public KafkaConsumerSpec withMaxPollRecords(int n) {
        return new KafkaConsumerSpec(topics, groupId, maxAttempts, retryBackoff, deadLetterTopic, threads, n,
                properties);
    }

    public KafkaConsumerSpec withProperties(Map<String, String> props) {
        return new KafkaConsumerSpec(topics, groupId, maxAttempts, retryBackoff, deadLetterTopic, threads,
                maxPollRecords, props);
    }

    /** The dead-letter topic in effect. */
    public String effectiveDeadLetterTopic() {
        return deadLetterTopic != null ? deadLetterTopic : topics.get(0) + ".dlq";
    }
}
