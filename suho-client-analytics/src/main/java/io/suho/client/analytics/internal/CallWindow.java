package io.suho.client.analytics.internal;

import io.suho.client.core.ResilienceConfig;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one call, the executor's retries included, within its time budget: each attempt's socket timeout is what is
 * left of the budget after reserving the retry backoffs, and a new attempt only does I/O while at least half the
 * budget is left — that is, right after a quick failure (a refused connect, a stale pooled connection). After a slow
 * one (a timeout against a hung server) the previous failure is repeated without I/O, so a caller is never held for
 * two timeouts. One per call; used by one thread at a time.
 */
final class CallWindow {
    private final long startNanos = System.nanoTime();
    private final long budgetNanos;
    private final long reserveNanos;
    private Exception last;

    CallWindow(long budgetNanos, long reserveNanos) {
        this.budgetNanos = budgetNanos;
        this.reserveNanos = Math.min(reserveNanos, budgetNanos / 4);
    }

    /**
     * A window for {@code budgetMillis}; when the call is retried, the executor's worst-case backoffs (±50 % jitter)
     * are kept out of the attempts' time.
     */
    static CallWindow of(long budgetMillis, boolean retried, ResilienceConfig r) {
        long reserve = 0;
        if (retried) {
            for (int i = 1; i <= r.maxRetries(); i++) {
                long base = Math.min(r.maxBackoff().toNanos(), r.minBackoff().toNanos() << Math.min(20, i - 1));
                reserve += base + base / 2;
            }
        }
        return new CallWindow(TimeUnit.MILLISECONDS.toNanos(budgetMillis), reserve);
    }

    /**
     * Before an attempt: its socket timeout in milliseconds, or the previous attempt's failure (rethrown) when too
     * little of the budget is left for another try.
     */
    long beforeAttempt() throws Exception {
        long left = startNanos + budgetNanos - reserveNanos - System.nanoTime();
        if (last != null && left < budgetNanos / 2) {
            throw last;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
    }

    /** The failure of the last attempt that ran, or {@code null}. */
    Exception lastFailure() {
        return last;
    }

    /** After a failed attempt; returns {@code e} for rethrowing. */
    Exception failed(Exception e) {
        last = e;
        return e;
    }
}
