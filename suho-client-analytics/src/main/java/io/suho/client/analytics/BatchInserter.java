package io.suho.client.analytics;

import java.time.Duration;

/**
 * Buffers rows for one table in memory and inserts them in batches, one HTTP request (JSONEachRow) per batch, from
 * its own background thread. Rows are encoded when added, so a row that cannot be encoded fails the caller at once.
 *
 * <p><b>Backpressure.</b> The buffer is bounded ({@link BatchOptions#bufferRows()}, the batch in flight included).
 * When it is full, {@link #add} blocks until a batch has been written, for at most {@link BatchOptions#maxBlock()},
 * then throws {@link io.suho.client.core.StoreUnavailableException} (the row was not taken); {@link #offer} never
 * blocks and returns {@code false} instead. While the store is unavailable or does not answer the batch is retried
 * with backoff (when {@link BatchOptions#retryWhileUnavailable()}), so the buffer fills and callers feel it.
 *
 * <p><b>Failures.</b> A batch the server rejects (bad value for a column type, unknown column) or cancels at its own
 * time limit is dropped, counted and reported by the next {@link #flush} or {@link #close} (as
 * {@link AnalyticsQueryException}, or a {@link io.suho.client.core.StoreTimeoutException} with
 * {@code serverReported()}); other batches go on.
 *
 * <p><b>Dedup.</b> Each batch gets a token that stays the same across its retries; servers that support
 * {@code insert_deduplication_token} (22.2 and later) write a retried batch once. A batch whose insert got no answer
 * may have landed; on older servers its retry writes it a second time, so read tables fed this way with a
 * {@code ReplacingMergeTree} keyed by a unique id and {@code FINAL}, or turn retries off.
 *
 * <p><b>Metrics</b> (tags {@code service}, {@code table}): {@code suho.analytics.insert.rows} (outcome
 * {@code success}/{@code failed}), {@code suho.analytics.insert.batches} (same), {@code suho.analytics.insert.latency}
 * (timer per batch request), {@code suho.analytics.insert.buffered} (gauge), {@code suho.analytics.insert.blocked}
 * (adds that had to wait). Thread-safe.
 */
public interface BatchInserter<T> extends AutoCloseable {

    /**
     * Buffers a row, blocking while the buffer is full (see class doc).
     *
     * @throws IllegalArgumentException when the row cannot be encoded
     * @throws io.suho.client.core.StoreUnavailableException when no room was made within {@code maxBlock}
     * @throws IllegalStateException after {@link #close}
     */
    void add(T row);

    /** Buffers a row if there is room now; {@code false} when the buffer is full. */
    boolean offer(T row);

    /**
     * Sends what is buffered and waits until every row added before this call is written or dropped.
     *
     * @throws AnalyticsQueryException when a batch was rejected since the last flush
     * @throws io.suho.client.core.StoreTimeoutException when the rows were not written within {@code timeout}: they
     *     stay buffered and may still be written (outcome unknown)
     */
    void flush(Duration timeout);

    /** Rows waiting (including the batch in flight). */
    int buffered();

    /** Rows written so far. */
    long rowsWritten();

    /** Flushes (waiting up to the store timeout plus {@code maxBlock}) and stops the background thread. */
    @Override
    void close();
}
