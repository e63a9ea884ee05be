package io.suho.client.postgres.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.UuidV7;
import io.suho.client.postgres.Outbox;
import io.suho.client.postgres.Transaction;
import java.util.Map;
import java.util.UUID;

/** Writes outbox rows with the caller's transaction; the row commits or rolls back with the business rows. */
final class OutboxWriter implements Outbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (event_id, topic, event_key, event_type, payload, headers) VALUES (?, ?, ?, ?, ?, ?::jsonb)";

    @Override
    public UUID append(Transaction tx, String topic, String key, byte[] payload) {
        return append(tx, topic, key, topic, payload, Map.of());
    }

    @Override
    public UUID append(Transaction tx, String topic, String key, String eventType, byte[] payload,
            Map<String, String> headers) {
        Statements.nonNull(tx, "tx");
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("outbox topic must not be blank");
        }
        if (eventType == null || eventType.isBlank()) {
            throw new IllegalArgumentException("outbox eventType must not be blank");
        }
        Statements.nonNull(payload, "payload");
        String headersJson;
        try {
            headersJson = headers == null || headers.isEmpty() ? "{}" : JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox headers cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        UUID id = UuidV7.next();
        tx.update(INSERT, id, topic, key, eventType, payload, headersJson);
        return id;
    }
}
