package io.suho.client.messaging;

/**
 * A running consumer loop (a JetStream pull consumer or a Kafka consumer-group member) on its own thread. Stopping
 * it is graceful: the batch in hand is finished, its acknowledgements/offsets are committed, then the underlying
 * subscription or consumer is closed. Thread-safe.
 */
public interface EventConsumer extends AutoCloseable {

    /** The consumer's name (durable name or group id). */
    String name();

    /** True until {@link #close()} completes or the loop died. */
    boolean isRunning();

    /** Events handled successfully so far. */
    long handled();

    /** Events sent to the dead-letter destination so far. */
    long deadLettered();

    /** Stops gracefully and waits (bounded) for the loop to finish. Idempotent. */
    @Override
    void close();
}
