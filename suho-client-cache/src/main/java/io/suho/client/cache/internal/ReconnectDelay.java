package io.suho.client.cache.internal;

import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lettuce's wait before each reconnect attempt: doubling from {@code first}, capped at {@code max}, and then drawn
 * uniformly from the upper half ({@code [d/2, d]}). The cap is what bounds recovery — once the server is back the next
 * attempt comes at most {@code max} later — so it is kept short; the jitter spreads a fleet's attempts so a restarted
 * server is not met by every client in the same millisecond. While the server is down an attempt is one refused TCP
 * connect, so a short cap costs the server nothing.
 */
final class ReconnectDelay extends Delay {
    private final long firstNanos;
    private final long maxNanos;

    ReconnectDelay(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("reconnect delay needs 0 < first <= max, got " + first + ", " + max);
        }
        this.firstNanos = first.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** {@code attempt} counts from 1. */
    @Override
    public Duration createDelay(long attempt) {
        long shift = Math.max(0, Math.min(30, attempt - 1));
        long d = firstNanos << shift;
        if (d <= 0 || d > maxNanos) {
            d = maxNanos;
        }
        long half = d / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(d - half + 1));
    }
}
