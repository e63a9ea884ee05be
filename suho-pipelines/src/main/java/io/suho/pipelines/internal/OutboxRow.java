package io.suho.pipelines.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.events.EventFormatException;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One row of {@code suho_outbox} as the outbox relay selected it, and the {@link Event} it is published as: same id,
 * type, key and payload; {@code time} = {@code created_at}; {@code source} and {@code content-type} taken from the
 * row's headers when they carry them ({@code ce_source} / {@code ce-source} / {@code source}, {@code content-type},
 * default {@code application/json}); other {@code ce*} headers dropped, the rest kept as user headers; the W3C trace
 * context of the append ({@code traceparent}, {@code tracestate} columns) as the event's trace context. Immutable.
 */
public record OutboxRow(UUID id, String topic, String key, String type, byte[] payload, String headersJson,
        Timestamp createdAt, String traceparent, String tracestate) {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /**
     * The event to publish, with {@code defaultSource} as its source unless the row's headers name one.
     *
     * @throws RuntimeException ({@link EventFormatException} and others) when the row cannot be an event
     */
    public Event toEvent(String defaultSource) {
        Map<String, Object> headers;
        try {
            headers = headersJson == null ? Map.of() : Event.jsonMapper().readValue(headersJson, MAP);
        } catch (IOException e) {
            throw new EventFormatException("headers of outbox row " + id + " are not a JSON object", e);
        }
        Map<String, String> user = new LinkedHashMap<>();
        String contentType = Event.JSON;
        String src = defaultSource;
        for (Map.Entry<String, Object> h : headers.entrySet()) {
            String v = String.valueOf(h.getValue());
            switch (h.getKey().toLowerCase(Locale.ROOT)) {
                case EventCodec.CONTENT_TYPE -> contentType = v;
                case EventCodec.KAFKA_SOURCE, EventCodec.NATS_SOURCE, "source" -> src = v;
                default -> {
                    if (!h.getKey().toLowerCase(Locale.ROOT).startsWith("ce")) {
                        user.put(h.getKey(), v);
                    }
                }
            }
        }
        return Event.builder(type).id(id).source(src).key(key)
                .time(createdAt == null ? Instant.now() : createdAt.toInstant()).headers(user)
                .payload(payload, contentType).traceparent(validTraceparent()).tracestate(tracestate).build();
    }

    /** A row without trace columns (written before they existed, or by hand). */
    public OutboxRow(UUID id, String topic, String key, String type, byte[] payload, String headersJson,
            Timestamp createdAt) {
        this(id, topic, key, type, payload, headersJson, createdAt, null, null);
    }

    /** The row's traceparent when it is one (a malformed value starts a new trace rather than failing the row). */
    public String validTraceparent() {
        return traceparent != null && traceparent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                ? traceparent : null;
    }
}
