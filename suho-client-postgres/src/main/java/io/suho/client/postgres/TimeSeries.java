package io.suho.client.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Time-series helpers for price ticks: one table per series, stored as a TimescaleDB hypertable when the
 * {@code timescaledb} extension is available, otherwise as a natively range-partitioned table with partitions
 * created ahead by the SDK. Both modes return identical results from this API.
 *
 * <p>Tables have the fixed shape {@code (ts timestamptz, symbol text, price double precision, volume double precision)}.
 */
public interface TimeSeries {

    /** Which storage mode is active. */
    enum Mode {
        TIMESCALE, NATIVE;

        /** Lower-case name as shown in health detail. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The mode detected at start ({@code timescale} when the extension is installed in the database). */
    Mode mode();

    /**
     * Creates the table if absent (hypertable or partitioned table with daily partitions), idempotently. In native
     * mode, partitions from {@code now - 1 day} to {@code now + ahead} are created.
     */
    void createTable(String table);

    /** Makes sure partitions exist covering {@code [from, to)} (no-op in Timescale mode). */
    void ensurePartitions(String table, Instant from, Instant to);

    /** Bulk-inserts ticks with {@code COPY ... FROM STDIN}; returns the number of rows copied. Never retried. */
    long copy(String table, List<Tick> ticks);

    /** Aggregates ticks of one symbol in {@code [from, to)} into buckets of {@code width} (OHLC + volume), oldest first. */
    List<Bucket> buckets(String table, String symbol, Duration width, Instant from, Instant to);

    /** One price tick. */
    record Tick(Instant ts, String symbol, double price, double volume) {
    }

    /** One aggregated bucket: open/high/low/close of price, summed volume, tick count. */
    record Bucket(Instant start, double open, double high, double low, double close, double volume, long count) {
    }
}
