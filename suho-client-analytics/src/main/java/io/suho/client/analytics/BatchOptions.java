package io.suho.client.analytics;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BatchInserter} batches: a batch is sent when it has {@link #maxRows()} rows or its oldest row is
 * {@link #maxDelay()} old; at most {@link #bufferRows()} rows wait in memory (including the batch being sent);
 * {@link BatchInserter#add} blocks for up to {@link #maxBlock()} when the buffer is full. Immutable.
 *
 * @param maxRows rows per insert request (default 10,000)
 * @param maxDelay longest time a row waits before it is sent (default 1 s)
 * @param bufferRows bound on buffered rows; backpressure beyond it (default 100,000)
 * @param maxBlock how long {@code add} waits for room before failing (default 5 s)
 * @param retryWhileUnavailable keep retrying a batch while the store is unavailable or does not answer (default
 *     true). A batch that got no answer may have landed: it is retried with the same dedup token, which servers from
 *     22.2 on write once; older ones write it twice (use a {@code ReplacingMergeTree} read with {@code FINAL}, see
 *     {@link InsertOptions}). With {@code false} such a batch is dropped and reported by {@link BatchInserter#flush}
 */
public record BatchOptions(int maxRows, Duration maxDelay, int bufferRows, Duration maxBlock,
        boolean retryWhileUnavailable) {

    public BatchOptions {
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxBlock, "maxBlock");
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
        if (bufferRows < maxRows) {
            throw new IllegalArgumentException("bufferRows (" + bufferRows + ") must be at least maxRows (" + maxRows
                    + ")");
        }
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("maxDelay must be positive, was " + maxDelay);
        }
        if (maxBlock.isNegative()) {
            throw new IllegalArgumentException("maxBlock must not be negative, was " + maxBlock);
        }
    }

    public static BatchOptions defaults() {
        return new BatchOptions(10_000, Duration.ofSeconds(1), 100_000, Duration.ofSeconds(5), true);
    }

    public BatchOptions withMaxRows(int n) {
        return new BatchOptions(n, maxDelay, Math.max(bufferRows, n), maxBlock, retryWhileUnavailable);
    }

    public BatchOptions withMaxDelay(Duration d) {
        return new BatchOptions(maxRows, d, bufferRows, maxBlock, retryWhileUnavailable);
    }

    public BatchOptions withBufferRows(int n) {
        return new BatchOptions(maxRows, maxDelay, n, maxBlock, retryWhileUnavailable);
    }

    public BatchOptions withMaxBlock(Duration d) {
        return new BatchOptions(maxRows, maxDelay, bufferRows, d, retryWhileUnavailable);
    }

    public BatchOptions withRetryWhileUnavailable(boolean retry) {
        return new BatchOptions(maxRows, maxDelay, bufferRows, maxBlock, retry);
    }
}
