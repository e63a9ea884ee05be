package io.suho.client.messaging;

import io.suho.client.core.NativeCall;
import io.suho.events.DeadLetters;
import io.suho.events.Event;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Suho's Kafka client ({@code suho.get(KafkaClient.class)}) for durable, high-volume streams: one idempotent
 * producer ({@code enable.idempotence=true}, {@code acks=all}, lz4, {@code linger.ms=5}), topic provisioning through
 * the Admin API, and at-least-once consumer-group loops with dead letters.
 *
 * <p>A caller waits at most {@code suho.kafka.timeout} (default 600 ms) for an ack ({@code max.block.ms} = timeout,
 * {@code request.timeout.ms} = timeout / 2), so the breaker sees failures while the broker is away. A record not acked
 * by then stays in the idempotent producer, which keeps retrying it for {@code suho.kafka.delivery-timeout} (2 min);
 * re-sending the same event from this client joins that attempt instead of writing a second record. Kafka's own
 * client metrics are bound to the Micrometer registry. Failures end in the SDK's three types:
 * {@link io.suho.client.core.StoreUnavailableException} (not sent: no metadata for the topic within the timeout, buffer
 * full, breaker open), {@link io.suho.client.core.StoreTimeoutException} (appended but not acked in time; for events
 * the {@link AmbiguousPublishException} subtype with the event id) and
 * {@link io.suho.client.core.StoreOperationException} (rejected: too large, not authorised, unknown topic). For what
 * this interface does not cover, {@link #execute} runs your own producer call through the same pipeline. Thread-safe.
 */
public interface KafkaClient {

    /**
     * Sends {@code event} to {@code topic} (record key = event key) and completes when the broker has acked it
     * ({@code acks=all}). Never blocks longer than {@code max.block.ms}.
     *
     * <p>The stage fails with {@link AmbiguousPublishException} (a {@link io.suho.client.core.StoreTimeoutException})
     * when the ack did not come within the timeout: the record may or may not be written and the producer is still
     * retrying it. Re-send the same event — from this client that joins the first attempt (no second record); from
     * another process it is a new record that consumers drop by {@code ce_id}.
     * {@link io.suho.client.core.StoreUnavailableException} when the breaker is open or the producer got no metadata
     * for the topic in time (nothing was appended); {@link io.suho.client.core.StoreOperationException} when the
     * record was rejected (e.g. {@code MESSAGE_TOO_LARGE}).
     */
    CompletionStage<RecordMetadata> send(String topic, Event event);

    /** {@link #send(String, Event)} and wait for the ack; throws what the stage would fail with. */
    RecordMetadata sendAndWait(String topic, Event event);

    /**
     * Sends a raw record through the same producer, breaker and metrics. Not acked in time, the stage fails with a
     * {@link io.suho.client.core.StoreTimeoutException} (no event id to join on: a re-send is a second record).
     */
    CompletionStage<RecordMetadata> send(ProducerRecord<byte[], byte[]> record);

    /**
     * Creates the topic, or brings an existing one in line: partitions are increased (never decreased — a larger
     * existing count is kept and logged), differing {@code retention.ms} and extra configs are altered. Idempotent
     * and safe to run from several instances at once.
     *
     * @return true when something was created or changed
     */
    boolean ensureTopic(TopicSpec spec);

    /**
     * Starts a consumer-group loop (one thread per {@link KafkaConsumerSpec#threads()}) that hands each record's
     * event to {@code handler}: offsets are committed only after the handler succeeded (or the record was
     * dead-lettered), at the end of each poll batch and when partitions are revoked; a record that keeps failing is
     * sent to the dead-letter topic with {@link DeadLetters} headers.
     */
    EventConsumer consume(KafkaConsumerSpec spec, EventHandler handler);

    /**
     * {@link #consume} for topics that do not carry Suho event envelopes (Debezium, Avro, another team's JSON): each
     * record is handed to {@code handler} as the broker delivered it, nothing decoded, nothing refused. Same loop,
     * commits, retries and dead letters as {@link #consume}; the record's {@code traceparent} header, if any, is
     * continued.
     */
    EventConsumer consumeRecords(KafkaConsumerSpec spec, RecordHandler handler);

    /**
     * {@link #consume} with a handler that takes batches: the events of one partition from one poll (at most
     * {@code maxPollRecords}), in offset order. Returning commits them all; a failing batch is retried whole, then
     * handed over one event at a time so that only events that fail alone are dead-lettered — see
     * {@link BatchHandler} for the exact rules.
     */
    EventConsumer consumeBatches(KafkaConsumerSpec spec, BatchHandler<Event> handler);

    /** {@link #consumeRecords} with batches, as {@link #consumeBatches}. */
    EventConsumer consumeRecordBatches(KafkaConsumerSpec spec, BatchHandler<ConsumerRecord<byte[], byte[]>> handler);

    /**
     * The connection properties (bootstrap servers, security pass-through {@code suho.kafka.client.*}) for code
     * that needs its own Kafka client, such as a sink with its own consumer.
     */
    Properties connectionProperties();

    /**
     * The underlying producer. Calls made on it directly bypass the breaker, the metrics and the failure mapping;
     * prefer {@link #execute}.
     */
    Producer<byte[], byte[]> producer();

    /**
     * Runs your own call on the SDK's producer through the Kafka store's pipeline — its circuit breaker, retries (only
     * when {@code idempotent}), the {@code suho.client.requests} timer under {@code operation}, and the failure mapping
     * (not sent, e.g. no metadata within {@code max.block.ms} → {@link io.suho.client.core.StoreUnavailableException};
     * no answer → {@link io.suho.client.core.StoreTimeoutException}; rejected →
     * {@link io.suho.client.core.StoreOperationException}; an exception of your own passes through unchanged). While
     * the breaker is open the call is rejected without running {@code call}.
     *
     * <p>The SDK does not bound the call: wait for a send with a timeout ({@code get(500, MILLISECONDS)}), since
     * {@code get()} alone waits up to {@code delivery.timeout.ms} (2 min). Never retry a send as idempotent: a second
     * {@code send()} is a second record. The producer belongs to the SDK: never close it.
     *
     * <pre>{@code
     * List<PartitionInfo> parts = kafka.execute("partitions_for", true, p -> p.partitionsFor("trades"));
     * RecordMetadata md = kafka.execute("send_raw", false,
     *         p -> p.send(new ProducerRecord<>("trades", key, value)).get(500, TimeUnit.MILLISECONDS));
     * }</pre>
     *
     * @param operation the name the call is timed and reported under (e.g. {@code "partitions_for"})
     * @param idempotent whether a store failure may be retried (true only if running it twice is harmless)
     * @param call the call, handed the {@link Producer}
     * @return what {@code call} returned
     */
    <R> R execute(String operation, boolean idempotent, NativeCall<Producer<byte[], byte[]>, R> call);
}
