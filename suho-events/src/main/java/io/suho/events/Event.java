package io.suho.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.suho.client.core.UuidV7;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The one event envelope Suho sends on both NATS and Kafka: a time-ordered id (UUID v7, the idempotency key every
 * consumer deduplicates on), a type, the source service, the time it happened, an optional key (Kafka record key /
 * ordering key), string headers and the payload bytes with their content type. Immutable and thread-safe; the
 * payload array is copied in and out.
 *
 * <p>On the wire it is carried as CloudEvents binary-mode headers plus the payload as body, so consumers in any
 * language can read it without this class — see {@link EventCodec} and {@code docs/messaging.md}. Ids come from
 * core's {@link UuidV7}, like the outbox's.
 *
 * <pre>{@code
 * Event e = Event.builder("order.created").source("order-service").key(orderId).json(order).build();
 * Order o = e.payloadAs(Order.class);
 * }</pre>
 */
public final class Event {
    /** Content type of payloads produced by {@link Builder#json(Object)}. */
    public static final String JSON = "application/json";
    /** Content type of raw payloads when none is given. */
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final byte[] EMPTY = new byte[0];
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private final UUID id;
    private final String type;
    private final String source;
    private final Instant time;
    private final String key;
    private final Map<String, String> headers;
    private final byte[] payload;
    private final String contentType;
    private final String traceparent;
    private final String tracestate;

    private Event(Builder b) {
        this.id = b.id != null ? b.id : UuidV7.next();
        this.type = requireText(b.type, "type");
        this.source = requireText(b.source, "source");
        this.time = b.time != null ? b.time : Instant.now();
        this.key = b.key;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.payload = b.payload != null ? b.payload : EMPTY;
        this.contentType = b.contentType != null ? b.contentType : OCTET_STREAM;
        this.traceparent = b.traceparent;
        this.tracestate = b.traceparent == null ? null : b.tracestate;
    }

    /** Starts an event of the given type (e.g. {@code order.created}); a fresh UUID v7 id and now are the defaults. */
    public static Builder builder(String type) {
        return new Builder().type(type);
    }

    /** A builder pre-filled with this event's fields (same id — use it to re-send, not to make a new event). */
    public Builder toBuilder() {
        Builder b = new Builder().id(id).type(type).source(source).time(time).key(key)
                .payload(payload, contentType).traceparent(traceparent).tracestate(tracestate);
        b.headers.putAll(headers);
        return b;
    }

    /** A new time-ordered (version 7) UUID, as used for event ids. */
    public static UUID newId() {
        return UuidV7.next();
    }

    /**
     * Reads a Kafka record written in the Suho envelope; shorthand for {@link EventCodec#fromKafka} (needs
     * kafka-clients on the classpath, as any caller holding a {@code ConsumerRecord} has).
     */
    public static Event fromKafka(ConsumerRecord<byte[], byte[]> record) {
        return EventCodec.fromKafka(record);
    }

    /** The idempotency key: a UUID v7, so ids sort by creation time. */
    public UUID id() {
        return id;
    }

    /** What happened, e.g. {@code order.created}; the hybrid publisher's per-type policy keys on it. */
    public String type() {
        return type;
    }

    /** The service that produced the event. */
    public String source() {
        return source;
    }

    /** When the event happened (millisecond precision or better; sent as RFC 3339). */
    public Instant time() {
        return time;
    }

    /** The partition/ordering key, or {@code null}. */
    public String key() {
        return key;
    }

    /** User headers (never the envelope's own {@code ce_*}/{@code content-type}); immutable, insertion-ordered. */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * The W3C trace context of the span that sent this event ({@code 00-<trace id>-<span id>-<flags>}), or
     * {@code null}: the CloudEvents distributed-tracing extension, carried as the {@code traceparent} header on both
     * transports. The SDK writes it when it sends with tracing on; a consumer's span continues from it.
     */
    public String traceparent() {
        return traceparent;
    }

    /** The vendor part of the W3C trace context ({@code tracestate} header), or {@code null}. */
    public String tracestate() {
        return tracestate;
    }

    /**
     * This event with the trace context of {@code traceHeaders} ({@code traceparent}, {@code tracestate}), or this
     * event itself when they hold no {@code traceparent}.
     */
    public Event withTraceContext(Map<String, String> traceHeaders) {
        String tp = traceHeaders.get(EventCodec.TRACEPARENT);
        if (tp == null || tp.equals(traceparent)) {
            return this;
        }
        return toBuilder().traceparent(tp).tracestate(traceHeaders.get(EventCodec.TRACESTATE)).build();
    }

    /** A copy of the payload bytes. */
    public byte[] payload() {
        return payload.clone();
    }

    /** Payload size in bytes, without copying. */
    public int payloadSize() {
        return payload.length;
    }

    /** The payload's media type, e.g. {@code application/json}. */
    public String contentType() {
        return contentType;
    }

    /** The payload decoded as UTF-8 text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The payload parsed as JSON into {@code type}. */
    public <T> T payloadAs(Class<T> type) {
        try {
            return MAPPER.readValue(payload, type);
        } catch (IOException e) {
            throw new EventFormatException("event " + id + " (" + this.type + "): payload is not a JSON "
                    + type.getSimpleName() + ": " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** The payload parsed as a JSON tree. */
    public JsonNode payloadJson() {
        return payloadAs(JsonNode.class);
    }

    /** The payload bytes without a copy, for the codec. */
    byte[] payloadUnsafe() {
        return payload;
    }

    /** The shared Jackson mapper used for JSON payloads (ISO-8601 dates, unknown properties ignored). */
    public static ObjectMapper jsonMapper() {
        return MAPPER;
    }

    /** Equal ids, attributes, headers and payload; the trace context is transport metadata and not compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && id.equals(e.id) && type.equals(e.type) && source.equals(e.source)
                && time.equals(e.time) && Objects.equals(key, e.key) && headers.equals(e.headers)
                && Arrays.equals(payload, e.payload) && contentType.equals(e.contentType);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Event{id=" + id + ", type=" + type + ", source=" + source + ", time=" + time
                + (key == null ? "" : ", key=" + key) + ", " + payload.length + " bytes " + contentType + "}";
    }

    private static String requireText(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new EventFormatException("event " + field + " is required");
        }
        return v;
    }

    static boolean reservedHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("ce_") || n.startsWith("ce-") || n.equals("content-type") || n.startsWith("nats-")
                || n.startsWith("suho-dlq-") || n.equals(EventCodec.TRACEPARENT) || n.equals(EventCodec.TRACESTATE);
    }

    /** Builds an {@link Event}; not thread-safe. */
    public static final class Builder {
        private UUID id;
        private String type;
        private String source;
        private Instant time;
        private String key;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] payload;
        private String contentType;
        private String traceparent;
        private String tracestate;

        private Builder() {
        }

        /** Sets the id (only to re-create an existing event; new events get a UUID v7). */
        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        /** The partition/ordering key ({@code null} for none). */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /**
         * Adds a user header. Names are {@code [A-Za-z0-9._-]}, up to 128 chars; {@code ce_*}, {@code ce-*},
         * {@code content-type}, {@code Nats-*} and {@code suho-dlq-*} are reserved for the envelope.
         */
        public Builder header(String name, String value) {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                throw new EventFormatException("header name " + name + " is not allowed: use [A-Za-z0-9._-], "
                        + "up to 128 characters");
            }
            if (reservedHeader(name)) {
                throw new EventFormatException("header name " + name + " is reserved for the event envelope");
            }
            Objects.requireNonNull(value, () -> "value of header " + name);
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new EventFormatException("value of header " + name + " contains a line break");
            }
            headers.put(name, value);
            return this;
        }

        /** Adds several user headers (see {@link #header}). */
        public Builder headers(Map<String, String> more) {
            more.forEach(this::header);
            return this;
        }

        /** Raw payload bytes (copied) with their media type. */
        public Builder payload(byte[] bytes, String contentType) {
            this.payload = bytes == null ? null : bytes.clone();
            this.contentType = contentType;
            return this;
        }

        /** UTF-8 text payload with the given media type (e.g. {@code text/plain}). */
        public Builder text(String text, String contentType) {
            return payload(text.getBytes(StandardCharsets.UTF_8), contentType);
        }

        /**
         * Serialises {@code value} with Jackson as the JSON payload.
         *
         * @throws EventFormatException when Jackson cannot serialise it (the message names the event type and the
         *         value's class)
         */
        public Builder json(Object value) {
            try {
                this.payload = MAPPER.writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new EventFormatException("event " + type + ": cannot serialise payload of type "
                        + (value == null ? "null" : value.getClass().getName()) + " as JSON: "
                        + e.getOriginalMessage(), e);
            }
            this.contentType = JSON;
            return this;
        }

        /**
         * The W3C {@code traceparent} to send with the event ({@code null}: none, or whatever the sending span
         * writes). Usually set by the SDK, e.g. from an outbox row; checked to be {@code 00-<32 hex>-<16 hex>-<2 hex>}.
         */
        public Builder traceparent(String traceparent) {
            if (traceparent != null && !TRACEPARENT.matcher(traceparent).matches()) {
                throw new EventFormatException("traceparent " + traceparent + " is not a W3C trace context "
                        + "(00-<32 hex trace id>-<16 hex span id>-<2 hex flags>)");
            }
            this.traceparent = traceparent;
            return this;
        }

        /** The W3C {@code tracestate} sent beside the {@code traceparent} ({@code null}: none). */
        public Builder tracestate(String tracestate) {
            if (tracestate != null && (tracestate.indexOf('\r') >= 0 || tracestate.indexOf('\n') >= 0)) {
                throw new EventFormatException("tracestate contains a line break");
            }
            this.tracestate = tracestate == null || tracestate.isEmpty() ? null : tracestate;
            return this;
        }

        public Event build() {
            return new Event(this);
        }
    }
}
