package io.suho.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The one mapping between the envelope's CloudEvents attributes and header names, in the two spellings on the wire:
 * Kafka's binary mode ({@code ce_id}) and the NATS one ({@code ce-id}). Writing and reading on both transports go
 * through {@link #write} and {@link #read}, so an attribute added here travels on both. Immutable.
 */
final class CloudEventHeaders {
    static final CloudEventHeaders KAFKA = new CloudEventHeaders(EventCodec.KAFKA_SPECVERSION, EventCodec.KAFKA_ID,
            EventCodec.KAFKA_TYPE, EventCodec.KAFKA_SOURCE, EventCodec.KAFKA_TIME, null);
    static final CloudEventHeaders NATS = new CloudEventHeaders(EventCodec.NATS_SPECVERSION, EventCodec.NATS_ID,
            EventCodec.NATS_TYPE, EventCodec.NATS_SOURCE, EventCodec.NATS_TIME, EventCodec.NATS_KEY);

    private final String specVersion;
    private final String id;
    private final String type;
    private final String source;
    private final String time;
    /** Where the key travels as a header (NATS); {@code null} where the transport has a record key (Kafka). */
    private final String partitionKey;

    private CloudEventHeaders(String specVersion, String id, String type, String source, String time,
            String partitionKey) {
        this.specVersion = specVersion;
        this.id = id;
        this.type = type;
        this.source = source;
        this.time = time;
        this.partitionKey = partitionKey;
    }

    /** Hands {@code out} the envelope's headers, then the user headers, in the order they go on the wire. */
    void write(Event event, BiConsumer<String, String> out) {
        out.accept(specVersion, EventCodec.SPEC_VERSION);
        out.accept(id, event.id().toString());
        out.accept(type, event.type());
        out.accept(source, event.source());
        out.accept(time, event.time().toString());
        out.accept(EventCodec.CONTENT_TYPE, event.contentType());
        if (event.traceparent() != null) {
            out.accept(EventCodec.TRACEPARENT, event.traceparent());
            if (event.tracestate() != null) {
                out.accept(EventCodec.TRACESTATE, event.tracestate());
            }
        }
        if (partitionKey != null && event.key() != null) {
            out.accept(partitionKey, event.key());
        }
        for (Map.Entry<String, String> e : event.headers().entrySet()) {
            out.accept(e.getKey(), e.getValue());
        }
    }

    /**
     * Rebuilds an event from the headers of a message, in wire order (one value per name: the one the transport
     * reads for it). Names the envelope reserves are not copied to the user headers.
     *
     * @param where the message, for error messages ({@code Kafka record t-0@7})
     * @param idFallback a header to take the id from when the id header is absent ({@code Nats-Msg-Id}), or null
     * @param recordKey the transport's own record key (Kafka), used when the key does not travel as a header
     * @param fallbackMillis the time when the message has no time header, or -1 for now
     * @throws EventFormatException when the id, type or source header is missing or malformed
     */
    Event read(String where, Map<String, String> headers, String idFallback, String recordKey, byte[] payload,
            long fallbackMillis) {
        Event.Builder b = Event.builder("x");
        headers.forEach((name, value) -> {
            if (!Event.reservedHeader(name)) {
                b.header(name, value);
            }
        });
        String idText = headers.get(id);
        if (idText == null && idFallback != null) {
            idText = headers.get(idFallback);
        }
        b.id(parseId(idText, where)).type(require(headers.get(type), type, where))
                .source(require(headers.get(source), source, where))
                .time(parseTime(headers.get(time), fallbackMillis, where))
                .key(partitionKey != null ? headers.get(partitionKey) : recordKey);
        String traceparent = headers.get(EventCodec.TRACEPARENT);
        if (traceparent != null) {
            try {
                b.traceparent(traceparent).tracestate(headers.get(EventCodec.TRACESTATE));
            } catch (EventFormatException e) {
                // a malformed trace context is dropped, not fatal: the event itself is fine and the trace starts anew
            }
        }
        String contentType = headers.get(EventCodec.CONTENT_TYPE);
        b.payload(payload, contentType == null ? Event.OCTET_STREAM : contentType);
        return b.build();
    }

    private UUID parseId(String text, String where) {
        try {
            return UUID.fromString(require(text, id, where));
        } catch (IllegalArgumentException e) {
            throw new EventFormatException(where + ": header " + id + " is not a UUID: " + text, e);
        }
    }

    private static Instant parseTime(String text, long fallbackMillis, String where) {
        if (text == null || text.isEmpty()) {
            return fallbackMillis >= 0 ? Instant.ofEpochMilli(fallbackMillis) : Instant.now();
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new EventFormatException(where + ": time header is not RFC 3339: " + text, e);
        }
    }

    private static String require(String value, String header, String where) {
        if (value == null || value.isEmpty()) {
            throw new EventFormatException(where + " lacks header " + header + ", so it is not a Suho event");
        }
        return value;
    }
}
