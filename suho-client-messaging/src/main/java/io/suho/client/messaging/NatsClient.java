package io.suho.client.messaging;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.suho.client.core.NativeCall;
import io.suho.events.DeadLetters;
import io.suho.events.Event;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Suho's NATS client ({@code suho.get(NatsClient.class)}): core publish/subscribe and request/reply for fast
 * signals, and JetStream for durable order flow — streams and durable pull consumers declared from code,
 * deduplicated publishes acknowledged by the server, dead letters after {@code maxDeliver}.
 *
 * <p>One jnats {@link Connection} per {@code SuhoClients}, reconnecting forever ({@code maxReconnects=-1}) with a
 * short wait, so an outage of any length is survived. Every operation runs through the NATS breaker and records
 * {@code suho.client.requests}; the store timeout ({@code suho.nats.timeout}) bounds requests and JetStream acks.
 * Failures end in the SDK's three types: {@link io.suho.client.core.StoreUnavailableException} (not sent: not
 * connected, breaker open), {@link io.suho.client.core.StoreTimeoutException} (sent or maybe sent, no answer; for
 * JetStream publishes the {@link AmbiguousPublishException} subtype with the event id) and
 * {@link io.suho.client.core.StoreOperationException} (the server answered with an error). For what this interface
 * does not cover, {@link #execute} runs your own jnats call through the same pipeline. Thread-safe.
 *
 * <p>Subjects are checked before anything is sent, with an {@link IllegalArgumentException} naming the subject and
 * the rule: publish, request and JetStream publish take one concrete subject ({@link Subjects#publishSubject}: no
 * empty token, no whitespace or control character, no {@code *} or {@code >}); {@link #subscribe}, stream subjects
 * and consumer filters may use wildcards as whole tokens ({@link Subjects#subscribeSubject}). Build subjects from
 * outside values with {@link Subjects#of}.
 */
public interface NatsClient {

    /** Publishes raw bytes on a core NATS subject (fire-and-forget, at most once). */
    void publish(String subject, byte[] data);

    /** Publishes an event on a core NATS subject with the envelope headers (fire-and-forget, at most once). */
    void publish(String subject, Event event);

    /**
     * Sends a request and waits for the first reply, up to the store timeout. Never retried (the responder may not be
     * idempotent).
     *
     * @throws io.suho.client.core.StoreTimeoutException when no reply came in time (the responder may have acted)
     * @throws io.suho.client.core.StoreOperationException when nobody subscribes to the subject (the server answered
     *         "no responders" at once; this does not count against the breaker)
     * @throws io.suho.client.core.StoreUnavailableException when the connection is closed or the breaker is open
     */
    Message request(String subject, byte[] data);

    /** {@link #request(String, byte[])} with an explicit timeout. */
    Message request(String subject, byte[] data, Duration timeout);

    /**
     * Subscribes {@code handler} to {@code subject} (wildcards allowed) on a dispatcher thread of its own. An
     * exception from the handler is logged and counted, and does not stop delivery.
     *
     * @param queueGroup queue group for load-balanced delivery, or {@code null}
     * @return closing it unsubscribes; its {@code close()} throws no checked exception, so it fits a
     *         try-with-resources block without {@code throws Exception}
     */
    Subscription subscribe(String subject, @Nullable String queueGroup, Consumer<Message> handler);

    /** A core NATS subscription made by {@link #subscribe}: closing it unsubscribes (idempotent). */
    interface Subscription extends AutoCloseable {
        /** Unsubscribes; closing twice does nothing. */
        @Override
        void close();
    }

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
     * @throws AmbiguousPublishException (a {@link io.suho.client.core.StoreTimeoutException}) when the ack did not
     *         come in time or the connection was lost after the message left: re-publish the same event
     * @throws io.suho.client.core.StoreUnavailableException when NATS is not connected (nothing was sent) or the
     *         breaker is open
     * @throws io.suho.client.core.StoreOperationException when no stream captures the subject
     */
    JsAck jsPublish(String subject, Event event);

    /**
     * The asynchronous form of {@link #jsPublish}: no retry; completes with the same exceptions. An unanswered publish
     * completes with {@link AmbiguousPublishException} within one to two store timeouts (jnats checks unanswered
     * requests every {@code suho.nats.timeout}).
     */
    CompletionStage<JsAck> jsPublishAsync(String subject, Event event);

    /**
     * Creates (or updates) the durable pull consumer described by {@code spec} and runs {@code handler} over it on a
     * thread of its own: ack after the handler returns; on an exception nak with {@code retryDelay}; on the
     * {@code maxDeliver}-th failed delivery (or a {@link EventHandler.PermanentFailure}, or a message that is not an
     * event) publish it with error headers ({@link DeadLetters}) to the dead-letter subject, then term it.
     */
    EventConsumer consume(PullConsumerSpec spec, EventHandler handler);

    /**
     * {@link #consume} for messages that are not Suho event envelopes (another team's JSON, Protobuf, text): each
     * JetStream message is handed to {@code handler} as stored, nothing decoded, nothing refused. Same loop, acks,
     * naks and dead letters as {@link #consume}; the message's {@code traceparent} header, if any, is continued.
     */
    EventConsumer consumeMessages(PullConsumerSpec spec, NatsMessageHandler handler);

    /**
     * {@link #consume} with a handler that takes the events of one fetch (at most the spec's {@code batchSize}) at
     * once: returning acks them all; a failing batch is handed over one event at a time with the single-event rules
     * — see {@link BatchHandler}.
     */
    EventConsumer consumeBatches(PullConsumerSpec spec, BatchHandler<Event> handler);

    /** {@link #consumeMessages} with batches, as {@link #consumeBatches}. */
    EventConsumer consumeMessageBatches(PullConsumerSpec spec, BatchHandler<Message> handler);

    /**
     * The underlying jnats connection. Calls made on it directly bypass the breaker, the metrics and the failure
     * mapping; prefer {@link #execute}.
     */
    Connection connection();

    /**
     * Runs your own jnats call through the NATS store's pipeline — its circuit breaker, retries (only when
     * {@code idempotent}), the {@code suho.client.requests} timer under {@code operation}, and the failure mapping
     * (not sent → {@link io.suho.client.core.StoreUnavailableException}, no answer →
     * {@link io.suho.client.core.StoreTimeoutException}, a server error →
     * {@link io.suho.client.core.StoreOperationException}; an exception of your own passes through unchanged). While
     * the breaker is open the call is rejected without running {@code call}.
     *
     * <p>The SDK does not bound the call: give blocking jnats calls a timeout (e.g. {@code flush(Duration)}). The
     * connection belongs to the SDK: use it only inside the call, never close it.
     *
     * <pre>{@code
     * // core NATS publish, then wait until the server has processed it
     * nats.execute("publish_flushed", false, c -> {
     *     c.publish("prices.btc", bytes);
     *     c.flush(Duration.ofMillis(500));
     *     return null;
     * });
     * // a JetStream call the SDK does not wrap
     * long msgs = nats.execute("stream_msgs", true,
     *         c -> c.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount());
     * }</pre>
     *
     * @param operation the name the call is timed and reported under (e.g. {@code "stream_msgs"})
     * @param idempotent whether a store failure may be retried (true only if running it twice is harmless)
     * @param call the call, handed the jnats {@link Connection}
     * @return what {@code call} returned
     */
    <R> R execute(String operation, boolean idempotent, NativeCall<Connection, R> call);
}
