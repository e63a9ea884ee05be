package io.suho.events;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes and reads the {@link Event} envelope on Kafka and NATS, CloudEvents 1.0 binary-mode style, so that any
 * language can produce or consume it (the layout is specified in {@code docs/messaging.md}).
 *
 * <ul>
 *   <li>Kafka: headers {@code ce_specversion=1.0}, {@code ce_id}, {@code ce_type}, {@code ce_source},
 *       {@code ce_time} (RFC 3339, UTC), {@code content-type}, then user headers as-is (UTF-8 values); record key =
 *       event key (UTF-8, or none); record value = payload.</li>
 *   <li>Both: {@code traceparent} and {@code tracestate} (W3C Trace Context) when the event carries a trace
 *       context, right after {@code content-type}.</li>
 *   <li>NATS: headers {@code Nats-Msg-Id} = event id (JetStream dedup), {@code ce-specversion}, {@code ce-id},
 *       {@code ce-type}, {@code ce-source}, {@code ce-time}, {@code content-type}, {@code ce-partitionkey} when the
 *       event has a key, then user headers; the subject is the caller's; data = payload.</li>
 * </ul>
 *
 * <p>Both transports share one attribute-to-header mapping, so the two layouts cannot drift apart. The Kafka methods
 * need {@code org.apache.kafka:kafka-clients} on the classpath and the NATS methods {@code io.nats:jnats}
 * ({@code suho-client-messaging} brings both); the header-name constants need neither. Stateless and thread-safe.
 */
public final class EventCodec {
    /** The CloudEvents spec version written in {@code ce_specversion} / {@code ce-specversion}. */
    public static final String SPEC_VERSION = "1.0";

    /** Kafka header of the spec version. */
    public static final String KAFKA_SPECVERSION = "ce_specversion";
    /** Kafka header of the event id. */
    public static final String KAFKA_ID = "ce_id";
    /** Kafka header of the event type. */
    public static final String KAFKA_TYPE = "ce_type";
    /** Kafka header of the source service. */
    public static final String KAFKA_SOURCE = "ce_source";
    /** Kafka header of the event time (RFC 3339). */
    public static final String KAFKA_TIME = "ce_time";
    /** The payload's media type, the same name on both transports. */
    public static final String CONTENT_TYPE = "content-type";

    /**
     * The W3C trace context of the sending span, the same header name on both transports (CloudEvents
     * distributed-tracing extension; the name W3C propagators read).
     */
    public static final String TRACEPARENT = "traceparent";
    /** The vendor part of the W3C trace context, beside {@link #TRACEPARENT}. */
    public static final String TRACESTATE = "tracestate";

    /** NATS header JetStream deduplicates on; carries the event id. */
    public static final String NATS_MSG_ID = "Nats-Msg-Id";
    /** NATS header of the spec version. */
    public static final String NATS_SPECVERSION = "ce-specversion";
    /** NATS header of the event id. */
    public static final String NATS_ID = "ce-id";
    /** NATS header of the event type. */
    public static final String NATS_TYPE = "ce-type";
    /** NATS header of the source service. */
    public static final String NATS_SOURCE = "ce-source";
    /** NATS header of the event time (RFC 3339). */
    public static final String NATS_TIME = "ce-time";
    /** NATS header of the event key (Kafka uses the record key instead). */
    public static final String NATS_KEY = "ce-partitionkey";

    private EventCodec() {
    }

    /** The Kafka record for {@code event} on {@code topic} (partition chosen by the producer from the key). */
    public static ProducerRecord<byte[], byte[]> toKafka(String topic, Event event) {
        return KafkaEnvelope.toRecord(topic, event);
    }

    /**
     * Reads a Kafka record written in the envelope. Headers other than the envelope's and {@code suho-dlq-*} become
     * user headers.
     *
     * @throws EventFormatException when {@code ce_id}, {@code ce_type} or {@code ce_source} is missing or malformed
     */
    public static Event fromKafka(ConsumerRecord<byte[], byte[]> record) {
        return KafkaEnvelope.fromRecord(record);
    }

    /** The NATS headers for {@code event}. */
    public static Headers toNatsHeaders(Event event) {
        return NatsEnvelope.toHeaders(event);
    }

    /** The NATS message for {@code event} on {@code subject}. */
    public static NatsMessage toNats(String subject, Event event) {
        return NatsEnvelope.toMessage(subject, event);
    }

    /**
     * Reads a NATS message written in the envelope ({@code ce-id} or, failing that, {@code Nats-Msg-Id}).
     *
     * @throws EventFormatException when the envelope headers are missing or malformed
     */
    public static Event fromNats(Message message) {
        return NatsEnvelope.fromMessage(message);
    }
}
