package io.suho.client.messaging;

import io.nats.client.Connection;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Suho's NATS client ({@code suho.get(NatsClient.class)}): core publish/subscribe and request/reply for fast
 * signals, and JetStream for durable order flow — streams and durable pull consumers declared from code,
 * deduplicated publishes acknowledged by the server, dead letters after {@code maxDeliver}.
 *
 * <p>One jnats {@link Connection} per {@code SuhoClients}, reconnecting forever ({@code maxReconnects=-1}) with a
 * short wait, so an outage of any length is survived. Every operation runs through the NATS breaker and records
 * {@code suho.client.requests}; the store timeout ({@code suho.nats.timeout}) bounds requests and JetStream acks.
 * Thread-safe.
 */
public interface NatsClient {

    /** Publishes raw bytes on a core NATS subject (fire-and-forget, at most once). */
    void publish(String subject, byte[] data);

    /** Publishes an event on a core NATS subject with the envelope headers (fire-and-forget, at most once). */
    void publish(String subject, Event event);

    /**
     * Sends a request and waits for the first reply, up to the store timeout.
     *
     * @throws io.suho.client.core.StoreUnavailableException on timeout, no responders or a lost connection
     */
    Message request(String subject, byte[] data);

    /** {@link #request(String, byte[])} with an explicit timeout. */
    Message request(String subject, byte[] data, Duration timeout);

    /**
     * Subscribes {@code handler} to {@code subject} (wildcards allowed) on a dispatcher thread of its own. An
     * exception from the handler is logged and counted, and does not stop delivery.
     *
     * @param queueGroup queue group for load-balanced delivery, or {@code null}
     * @return closing it unsubscribes
     */
    AutoCloseable subscribe(String subject, String queueGroup, Consumer<Message> handler);

    /**
     * Creates the stream, or updates it when its subjects, retention, duplicate window or replicas differ; a stream
     * that already matches is left alone. Storage type cannot change in place: a mismatch is an error naming it.
     *
     * @return true when something was created or changed
     */
    boolean ensureStream(StreamSpec spec);

    /**
     * Publishes {@code event} to JetStream and waits for the stream's ack, with {@code Nats-Msg-Id} = event id so
     * that a re-publish of the same event is stored once (within the stream's duplicate window). One attempt, bounded
     * by {@code suho.nats.timeout}; while the connection is down it fails at once without sending. A timeout is an
     * ambiguous outcome (jnats may still deliver the message after reconnecting): re-publish the same event.
     *
     * @throws AmbiguousPublishException when the ack did not come in time (re-publish the same event)
     * @throws io.suho.client.core.StoreUnavailableException when NATS is not connected (nothing was sent) or the
     *         breaker is open
     * @throws io.suho.client.core.StoreOperationException when no stream captures the subject
     */
    JsAck jsPublish(String subject, Event event);

    /** The asynchronous form of {@link #jsPublish}: no retry, a timeout completes with {@link AmbiguousPublishException}. */
    CompletionStage<JsAck> jsPublishAsync(String subject, Event event);

    /**
     * Creates (or updates) the durable pull consumer described by {@code spec} and runs {@code handler} over it on a
     * thread of its own: ack after the handler returns; on an exception nak with {@code retryDelay}; on the
     * {@code maxDeliver}-th failed delivery (or a {@link EventHandler.PermanentFailure}, or a message that is not an
     * event) publish it with error headers ({@link DeadLetters}) to the dead-letter subject, then term it.
     */
    EventConsumer consume(PullConsumerSpec spec, EventHandler handler);

    /** The underlying jnats connection, for what this API does not cover (bypasses breaker and metrics). */
    Connection connection();
}
