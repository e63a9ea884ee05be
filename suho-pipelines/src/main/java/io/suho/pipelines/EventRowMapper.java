package io.suho.pipelines;

import io.suho.client.analytics.RowEncoder;
import io.suho.events.Event;


/**
 * Maps one {@link Event} consumed by the {@link EventSink} to one row of its table. Throwing (for example on a
 * payload that does not parse) sends the record to the dead-letter topic instead of failing the batch.
 */
@FunctionalInterface
public interface EventRowMapper {

    /**
     * @param event the decoded envelope
     * @param origin where the record was read (topic, partition, offset), for lineage columns
     * @param row the row to fill
     */
    void map(Event event, Origin origin, RowEncoder.Columns row) throws Exception;

    /** Where a consumed record came from. */
    record Origin(String topic, int partition, long offset) {
    }
}
