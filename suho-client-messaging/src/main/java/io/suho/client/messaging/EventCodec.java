package io.suho.client.messaging;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes and reads the {@link Event} envelope on Kafka and NATS, CloudEvents 1.0 binary-mode style, so that any
 * language can produce or consume it (the layout is specified in {@code docs/messaging.md}).
 *
 * <ul>
 *   <li>Kafka: headers {@code ce_specversion=1.0}, {@code ce_id}, {@code ce_type}, {@code ce_source},
 *       {@code ce_time} (RFC 3339, UTC), {@code content-type}, then user headers as-is (UTF-8 values); record key =
 *       event key (UTF-8, or none); record value = payload.</li>
 *   <li>NATS: headers {@code Nats-Msg-Id} = event id (JetStream dedup), {@code ce-specversion}, {@code ce-id},
 *       {@code ce-type}, {@code ce-source}, {@code ce-time}, {@code content-type}, {@code ce-partitionkey} when the
 *       event has a key, then user headers; the subject is the caller's; data = payload.</li>
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class EventCodec {
    public static final String SPEC_VERSION = "1.0";

    /** Kafka header names. */
    public static final String KAFKA_SPECVERSION = "ce_specversion";
    public static final String KAFKA_ID = "ce_id";
    public static final String KAFKA_TYPE = "ce_type";
    public static final String KAFKA_SOURCE = "ce_source";
    public static final String KAFKA_TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    /** NATS header names. */
    public static final String NATS_MSG_ID = "Nats-Msg-Id";
    public static final String NATS_SPECVERSION = "ce-specversion";
    public static final String NATS_ID = "ce-id";
    public static final String NATS_TYPE = "ce-type";
    public static final String NATS_SOURCE = "ce-source";
    public static final String NATS_TIME = "ce-time";
    public static final String NATS_KEY = "ce-partitionkey";

    private EventCodec() {
    }

    /** The Kafka record for {@code event} on {@code topic} (partition chosen by the producer from the key). */
    public static ProducerRecord<byte[], byte[]> toKafka(String topic, Event event) {
        RecordHeaders h = new RecordHeaders();
        h.add(KAFKA_SPECVERSION, utf8(SPEC_VERSION));
        h.add(KAFKA_ID, utf8(event.id().toString()));
        h.add(KAFKA_TYPE, utf8(event.type()));
        h.add(KAFKA_SOURCE, utf8(event.source()));
        h.add(KAFKA_TIME, utf8(event.time().toString()));
        h.add(CONTENT_TYPE, utf8(event.contentType()));
        for (Map.Entry<String, String> e : event.headers().entrySet()) {
            h.add(e.getKey(), utf8(e.getValue()));
        }
        byte[] key = event.key() == null ? null : utf8(event.key());
        return new ProducerRecord<>(topic, null, key, event.payloadUnsafe(), h);
    }

    /**
     * Reads a Kafka record written in the envelope. Headers other than the envelope's and {@code suho-dlq-*} become
     * user headers.
     *
     * @throws EventFormatException when {@code ce_id}, {@code ce_type} or {@code ce_source} is missing or malformed
     */
    public static Event fromKafka(ConsumerRecord<byte[], byte[]> record) {
        String where = "Kafka record " + record.topic() + "-" + record.partition() + "@" + record.offset();
        String id = null;
        String type = null;
        String source = null;
        String time = null;
        String contentType = null;
        Event.Builder b = Event.builder("x");
        for (Header header : record.headers()) {
            String name = header.key();
            String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
            switch (name) {
                case KAFKA_ID -> id = value;
                case KAFKA_TYPE -> type = value;
                case KAFKA_SOURCE -> source = value;
                case KAFKA_TIME -> time = value;
                case CONTENT_TYPE -> contentType = value;
                default -> {
                    if (!Event.reservedHeader(name)) {
                        b.header(name, value);
                    }
                }
            }
        }
        b.id(parseId(id, KAFKA_ID, where)).type(require(type, KAFKA_TYPE, where))
                .source(require(source, KAFKA_SOURCE, where)).time(parseTime(time, record.timestamp(), where));
        b.key(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        b.payload(record.value(), contentType == null ? Event.OCTET_STREAM : contentType);
        return b.build();
    }

    /** The NATS headers for {@code event}. */
    public static Headers toNatsHeaders(Event event) {
        Headers h = new Headers();
        String id = event.id().toString();
        h.put(NATS_MSG_ID, id);
        h.put(NATS_SPECVERSION, SPEC_VERSION);
        h.put(NATS_ID, id);
        h.put(NATS_TYPE, event.type());
        h.put(NATS_SOURCE, event.source());
        h.put(NATS_TIME, event.time().toString());
        h.put(CONTENT_TYPE, event.contentType());
        if (event.key() != null) {
            h.put(NATS_KEY, event.key());
        }
        for (Map.Entry<String, String> e : event.headers().entrySet()) {
            h.put(e.getKey(), e.getValue());
        }
        return h;
    }

    /** The NATS message for {@code event} on {@code subject}. */
    public static NatsMessage toNats(String subject, Event event) {
        return NatsMessage.builder().subject(subject).headers(toNatsHeaders(event)).data(event.payloadUnsafe())
                .build();
    }

    /**
     * Reads a NATS message written in the envelope ({@code ce-id} or, failing that, {@code Nats-Msg-Id}).
     *
     * @throws EventFormatException when the envelope headers are missing or malformed
     */
    public static Event fromNats(Message message) {
        String where = "NATS message on " + message.getSubject();
        Headers h = message.getHeaders();
        if (h == null) {
            throw new EventFormatException(where + " has no headers, so it is not a Suho event");
        }
        Event.Builder b = Event.builder("x");
        for (String name : h.keySet()) {
            if (!Event.reservedHeader(name)) {
                List<String> values = h.get(name);
                b.header(name, values.get(values.size() - 1));
            }
        }
        String id = first(h, NATS_ID);
        b.id(parseId(id != null ? id : first(h, NATS_MSG_ID), NATS_ID, where))
                .type(require(first(h, NATS_TYPE), NATS_TYPE, where))
                .source(require(first(h, NATS_SOURCE), NATS_SOURCE, where))
                .time(parseTime(first(h, NATS_TIME), -1, where))
                .key(first(h, NATS_KEY));
        String ct = first(h, CONTENT_TYPE);
        b.payload(message.getData(), ct == null ? Event.OCTET_STREAM : ct);
        return b.build();
    }

    private static String first(Headers h, String name) {
        return h.getFirst(name);
    }

    private static UUID parseId(String id, String header, String where) {
        try {
            return UUID.fromString(require(id, header, where));
        } catch (IllegalArgumentException e) {
            throw new EventFormatException(where + ": header " + header + " is not a UUID: " + id, e);
        }
    }

    private static Instant parseTime(String time, long fallbackMillis, String where) {
        if (time == null || time.isEmpty()) {
            return fallbackMillis >= 0 ? Instant.ofEpochMilli(fallbackMillis) : Instant.now();
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            throw new EventFormatException(where + ": time header is not RFC 3339: " + time, e);
        }
    }

    private static String require(String v, String header, String where) {
        if (v == null || v.isEmpty()) {
            throw new EventFormatException(where + " lacks header " + header + ", so it is not a Suho event");
        }
        return v;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
