package io.suho.client.messaging;

import io.suho.events.Event;

/**
 * Application code that processes one event delivered by a consumer ({@link NatsClient#consume} or
 * {@link KafkaClient#consume}). Returning normally means "done": the message is acknowledged (NATS) or its offset
 * becomes committable (Kafka). Throwing means "not done": it is redelivered up to the consumer's attempt limit, then
 * sent to the dead-letter destination with the error. Throw {@link PermanentFailure} to skip the retries.
 *
 * <p>Delivery is at least once, so handlers must be idempotent — deduplicate on {@link Event#id()}.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(Event event) throws Exception;

    /** Thrown by a handler for an event that can never succeed: it goes to the dead letters at once. */
    class PermanentFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PermanentFailure(String message) {
            super(message);
        }

        public PermanentFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
