package io.suho.client.postgres;

import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The transactional outbox: events appended here are written to {@code suho_outbox} in the caller's transaction,
 * so they are committed or rolled back together with the business rows; {@code io.suho.pipelines.OutboxRelay}
 * (suho-pipelines) publishes them.
 *
 * <p>The table is the SDK's only DDL in your database, and it runs on the outbox's <em>first use</em> (the first
 * {@code append} or {@link #ensureTable()} of a client), never when the client merely starts; with
 * {@code suho.postgres.sdk-migrations.enabled=false} it never runs and the table is yours to create.
 */
public interface Outbox {

    /** The outbox table name (created by the SDK's own migration). */
    String TABLE = "suho_outbox";

    /** Appends an event with event type = topic and no headers; returns its time-ordered event id (UUID v7). */
    UUID append(Transaction tx, String topic, String key, byte[] payload);

    /** Appends an event; {@code key} may be null, headers may be empty. Returns its time-ordered event id. */
    UUID append(Transaction tx, String topic, @Nullable String key, String eventType, byte[] payload,
            Map<String, String> headers);

    /**
     * Creates {@link #TABLE} with the SDK's migration (history table {@code suho_sdk_schema_history}) if this client
     * has not yet; a no-op with {@code suho.postgres.sdk-migrations.enabled=false}. {@code append} does it by itself;
     * call it where the table must exist before the first append (a relay, a test, a start-up check).
     *
     * @throws io.suho.client.core.StoreUnavailableException when the primary does not answer
     */
    void ensureTable();
}
