package io.suho.client.messaging;

/**
 * Which paths an {@link EventPublisher} sends an event on and which acks make the publish a success. Configured per
 * event type ({@code suho.messaging.hybrid.policy.<type>}, default {@code suho.messaging.hybrid.policy}) or passed
 * per call.
 */
public enum HybridPolicy {
    /** Both paths, in parallel; success only when NATS JetStream and Kafka both acked. */
    BOTH,
    /** Both paths, in parallel; success when at least one acked. */
    EITHER,
    /** NATS first (real-time consumers see it first), then Kafka; success when Kafka (the durable record) acked. */
    NATS_FIRST,
    /** Kafka only. */
    KAFKA_ONLY,
    /** NATS JetStream only. */
    NATS_ONLY;

    /** Whether NATS JetStream is published to. */
    public boolean usesNats() {
        return this != KAFKA_ONLY;
    }

    /** Whether Kafka is published to. */
    public boolean usesKafka() {
        return this != NATS_ONLY;
    }
}
