package io.suho.pipelines.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.suho.pipelines.EventSinkConfig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one event sink, tagged {@code service}, {@code topic}, {@code table}:
 * {@code suho.analytics.sink.records} (outcome {@code inserted} / {@code dead_lettered}),
 * {@code suho.analytics.sink.batches} ({@code success} / {@code failed}), {@code suho.analytics.sink.insert.latency},
 * {@code suho.analytics.sink.lag} and {@code suho.analytics.sink.committed}. The counts the sink reports itself
 * ({@link #rowsInserted()}, {@link #deadLetteredCount()}) are kept here too, not read back from the meters: a
 * registry may keep nothing (Micrometer's global registry with no registry added is a no-op). Thread-safe.
 */
public final class SinkMetrics {
    private final Counter inserted;
    private final Counter deadLettered;
    private final Counter batchesOk;
    private final Counter batchesFailed;
    private final Counter committed;
    private final Timer insertLatency;
    private final AtomicLong lag = new AtomicLong();
    private final LongAdder insertedCount = new LongAdder();
    private final LongAdder deadLetteredCount = new LongAdder();

    /** Registers the meters of the sink {@code cfg} describes. */
    public SinkMetrics(EventSinkConfig cfg) {
        MeterRegistry r = cfg.registry();
        String[] tags = {"service", cfg.service(), "topic", cfg.topic(), "table", cfg.table().name()};
        inserted = Counter.builder("suho.analytics.sink.records").tags(tags).tag("outcome", "inserted")
                .description("Records the sink wrote to ClickHouse (replays included)").register(r);
        deadLettered = Counter.builder("suho.analytics.sink.records").tags(tags).tag("outcome", "dead_lettered")
                .description("Records the sink wrote to ClickHouse (replays included)").register(r);
        batchesOk = Counter.builder("suho.analytics.sink.batches").tags(tags).tag("outcome", "success")
                .description("Insert attempts of sink batches").register(r);
        batchesFailed = Counter.builder("suho.analytics.sink.batches").tags(tags).tag("outcome", "failed")
                .description("Insert attempts of sink batches").register(r);
        committed = Counter.builder("suho.analytics.sink.committed").tags(tags)
                .description("Kafka offsets committed after a successful insert").register(r);
        insertLatency = Timer.builder("suho.analytics.sink.insert.latency").tags(tags)
                .description("Time to insert one sink batch").register(r);
        Gauge.builder("suho.analytics.sink.lag", lag, AtomicLong::get).tags(tags)
                .description("Records behind the log end over the sink's partitions").register(r);
    }

    /** A whole batch went in, taking {@code nanos}. */
    void batchInserted(int rows, long nanos) {
        insertLatency.record(nanos, TimeUnit.NANOSECONDS);
        batchesOk.increment();
        inserted.increment(rows);
        insertedCount.add(rows);
    }

    /** Part of a split batch went in. */
    void rowsInserted(int rows) {
        inserted.increment(rows);
        insertedCount.add(rows);
    }

    void batchFailed() {
        batchesFailed.increment();
    }

    void deadLettered() {
        deadLettered.increment();
        deadLetteredCount.increment();
    }

    void committed(int offsets) {
        committed.increment(offsets);
    }

    void lag(long records) {
        lag.set(records);
    }

    /** Rows inserted so far (replays included). */
    public long rowsInserted() {
        return insertedCount.sum();
    }

    /** Records dead-lettered (or dropped, without a dead-letter topic) so far. */
    public long deadLetteredCount() {
        return deadLetteredCount.sum();
    }

    /** Records behind the end of the log at the last poll. */
    public long lag() {
        return lag.get();
    }
}
