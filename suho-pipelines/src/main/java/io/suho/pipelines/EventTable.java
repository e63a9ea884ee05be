package io.suho.pipelines;

import io.suho.client.analytics.RowEncoder;
import io.suho.client.analytics.TableSpec;
import io.suho.events.Event;
import java.time.Instant;

/**
 * The generic event table the sink writes when no schema is declared: the envelope's fields, the payload as text
 * and the Kafka coordinates, in a {@code ReplacingMergeTree} keyed by {@code event_id} (partitioned by month of
 * {@code event_time}), so replays collapse. Read it deduplicated with {@code FINAL} or {@code argMax(…, ingested_at)}
 * grouped by {@code event_id}.
 */
public final class EventTable {
    private EventTable() {
    }

    /** The default table schema named {@code table}. */
    public static TableSpec spec(String table) {
        return TableSpec.builder(table)
                .column("event_id", "String")
                .column("event_type", "String")
                .column("source", "String")
                .column("event_time", "DateTime")
                .column("event_key", "String")
                .column("content_type", "String")
                .column("payload", "String")
                .column("kafka_topic", "String")
                .column("kafka_partition", "UInt32")
                .column("kafka_offset", "UInt64")
                .column("ingested_at", "DateTime")
                .replacingMergeTree("ingested_at")
                .partitionByMonth("event_time")
                .orderBy("event_id")
                .build();
    }

    /** Fills the default table's columns (payload decoded as UTF-8). */
    public static final EventRowMapper MAPPER = (Event e, EventRowMapper.Origin o, RowEncoder.Columns row) -> row
            .put("event_id", e.id().toString())
            .put("event_type", e.type())
            .put("source", e.source())
            .put("event_time", e.time())
            .put("event_key", e.key() == null ? "" : e.key())
            .put("content_type", e.contentType())
            .put("payload", e.payloadText())
            .put("kafka_topic", o.topic())
            .put("kafka_partition", o.partition())
            .put("kafka_offset", o.offset())
            .put("ingested_at", Instant.now());
}
