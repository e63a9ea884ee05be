package io.suho.client.postgres.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.UuidV7;
import io.suho.client.core.spi.CallDetail;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.postgres.Outbox;
import io.suho.client.postgres.Transaction;
import java.util.Map;
import java.util.UUID;

/**
 * Writes outbox rows with the caller's transaction; the row commits or rolls back with the business rows. Each
 * append is a producer observation ({@code outbox_append}) whose W3C trace context ({@code traceparent},
 * {@code tracestate}; none without tracing) is stored in the row, so that the relay's publish continues the trace.
 */
final class OutboxWriter implements Outbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = "INSERT INTO " + TABLE + " (event_id, topic, event_key, event_type, payload,"
            + " headers, traceparent, tracestate) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)";

    private final StoreExecutor executor;
    private final SdkSchema schema;

    OutboxWriter(StoreExecutor executor, SdkSchema schema) {
        this.executor = executor;
        this.schema = schema;
    }

    @Override
    public void ensureTable() {
        schema.ensure();
    }

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
        schema.ensure(); // the SDK's migration, on the outbox's first use only (then a volatile read)
        UUID id = UuidV7.next();
        CallDetail detail = CallDetail.sending(topic);
        try {
            executor.observe("outbox_append", detail, () -> tx.update(INSERT, id, topic, key, eventType, payload,
                    headersJson, detail.traceHeaders().get("traceparent"), detail.traceHeaders().get("tracestate")));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // tx.update throws unchecked exceptions only
        }
        return id;
    }
}
