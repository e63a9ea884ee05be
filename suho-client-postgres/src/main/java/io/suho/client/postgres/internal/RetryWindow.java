package io.suho.client.postgres.internal;

import java.sql.SQLException;

/**
 * Keeps a retried (idempotent) call within the store timeout: the executor may run an attempt again after a store
 * failure, but a new attempt only starts while a whole one still fits — right after a quick failure (a stale pooled
 * connection, a refused connect). After a slow one (a timeout against a hung server) it repeats that failure without
 * I/O, so a read is not held for two timeouts. One per call; used by one thread at a time.
 */
final class RetryWindow {
    private final long startNanos = System.nanoTime();
    private final long windowNanos;
    private SQLException last;

    RetryWindow(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Before an attempt: throws the previous attempt's failure when it came too late for another try. */
    void beforeAttempt() throws SQLException {
        if (last != null && System.nanoTime() - startNanos > windowNanos) {
            throw last;
        }
    }

    /** After a failed attempt; returns {@code e} for rethrowing. */
    SQLException failed(SQLException e) {
        last = e;
        return e;
    }
}
