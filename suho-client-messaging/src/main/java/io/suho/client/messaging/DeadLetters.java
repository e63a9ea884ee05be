package io.suho.client.messaging;

/**
 * Names of the headers a dead-lettered message carries in addition to its original envelope and user headers, on
 * both Kafka (DLQ topic) and NATS (dead-letter subject). Values are UTF-8 text.
 */
public final class DeadLetters {
    /** Fully-qualified class of the last exception the handler threw. */
    public static final String ERROR_CLASS = "suho-dlq-error-class";
    /** Its message (truncated to 1000 characters). */
    public static final String ERROR_MESSAGE = "suho-dlq-error-message";
    /** How many times the handler was tried. */
    public static final String ATTEMPTS = "suho-dlq-attempts";
    /** RFC 3339 time of the last failure. */
    public static final String FAILED_AT = "suho-dlq-failed-at";
    /** Original Kafka topic or NATS subject. */
    public static final String ORIGINAL_TOPIC = "suho-dlq-original-topic";
    /** Original Kafka partition, or JetStream stream name. */
    public static final String ORIGINAL_PARTITION = "suho-dlq-original-partition";
    /** Original Kafka offset, or JetStream stream sequence. */
    public static final String ORIGINAL_OFFSET = "suho-dlq-original-offset";
    /** The consumer (Kafka group id or JetStream durable) that gave up. */
    public static final String CONSUMER = "suho-dlq-consumer";

    private DeadLetters() {
    }

}
