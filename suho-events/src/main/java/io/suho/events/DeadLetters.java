package io.suho.events;

/**
 * Names of the headers a dead-lettered message carries in addition to its original envelope and user headers, on
 * both Kafka (DLQ topic) and NATS (dead-letter subject), and how the error is written into them. Values are UTF-8
 * text. Used by the messaging consumers and the event sink alike.
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

    private static final int MAX_MESSAGE = 1000;

    private DeadLetters() {
    }

    /**
     * The value of {@link #ERROR_MESSAGE} for {@code error}: its message on one line (headers are single-line), at
     * most 1000 characters (headers are size-bound); empty when it has none.
     */
    public static String errorMessage(Throwable error) {
        String s = error.getMessage();
        if (s == null) {
            return "";
        }
        String t = s.replace('\r', ' ').replace('\n', ' ');
        return t.length() <= MAX_MESSAGE ? t : t.substring(0, MAX_MESSAGE);
    }
}
