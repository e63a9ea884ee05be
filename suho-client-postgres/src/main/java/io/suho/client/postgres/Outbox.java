package io.suho.client.postgres;

import java.util.Map;
import java.util.UUID;

/**
 * The transactional outbox: events appended here are written to {@code suho_outbox} in the caller's transaction,
 * so they are committed or rolled back together with the business rows; {@code io.suho.pipelines.OutboxRelay}
 * (suho-pipelines) publishes them.
 */
public interface Outbox {

    /** The outbox table name (created by the SDK's own migration). */
    String TABLE = "suho_outbox";

    /** Appends an event with event type = topic and no headers; returns its time-ordered event id (UUID v7). */
    UUID append(Transaction tx, String topic, String key, byte[] payload);

    /** Appends an event; {@code key} may be null, headers may be empty. Returns its time-ordered event id. */
    UUID append(Transaction tx, String topic, String key, String eventType, byte[] payload, Map<String, String> headers);
}
