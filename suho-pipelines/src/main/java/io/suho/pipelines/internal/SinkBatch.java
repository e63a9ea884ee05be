package io.suho.pipelines.internal;

import io.suho.client.analytics.EncodedRows;
import io.suho.client.analytics.RowEncoder;
import io.suho.events.Event;
import io.suho.pipelines.EventRowMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The batch a sink is building or retrying: the rows encoded so far, the record behind each row, and the offsets to
 * commit once the batch is in ClickHouse — including those of records that were dead-lettered instead. Used by the
 * consumer thread only; {@link #pending()} may be read from any thread.
 */
final class SinkBatch {
    private final EventRowMapper mapper;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private EncodedRows rows;
    private long startNanos;
    private volatile int pending;

    SinkBatch(EventRowMapper mapper) {
        this.mapper = mapper;
    }

    /** Starts writing into {@code rows} (from the analytics client, once the server's time zone is known). */
    void open(EncodedRows rows) {
        this.rows = rows;
    }

    /** Makes {@code record} part of the batch: its offset is committed with it, whatever becomes of its row. */
    void track(ConsumerRecord<byte[], byte[]> record) {
        if (offsets.isEmpty()) {
            startNanos = System.nanoTime();
        }
        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        pending++; // only the consumer thread writes it
    }

    /**
     * Maps {@code event} (read from {@code record}) to the next row.
     *
     * @throws RuntimeException what the mapper threw (a checked exception as {@link IllegalArgumentException}), or
     *     why the row cannot be encoded; the rows are then as before
     */
    void addRow(ConsumerRecord<byte[], byte[]> record, Event event) {
        EventRowMapper.Origin origin = new EventRowMapper.Origin(record.topic(), record.partition(), record.offset());
        RowEncoder<Event> encoder = (ev, row) -> {
            try {
                mapper.map(ev, origin, row);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        };
        rows.add(event, encoder);
        records.add(record);
    }

    /** True when nothing was polled since the last commit. */
    boolean isEmpty() {
        return records.isEmpty() && offsets.isEmpty();
    }

    boolean hasOffsets() {
        return !offsets.isEmpty();
    }

    int rowCount() {
        return records.size();
    }

    /** True when the oldest record of the batch has waited {@code maxDelayNanos}. */
    boolean due(long maxDelayNanos) {
        return !offsets.isEmpty() && System.nanoTime() - startNanos >= maxDelayNanos;
    }

    EncodedRows rows() {
        return rows;
    }

    ConsumerRecord<byte[], byte[]> record(int row) {
        return records.get(row);
    }

    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    /** Records polled and not committed yet. */
    int pending() {
        return pending;
    }

    void clear() {
        rows.clear();
        records.clear();
        offsets.clear();
        pending = 0;
    }
}
