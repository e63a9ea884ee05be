package io.suho.client.core.spi;

import io.suho.client.core.ResilienceConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SDK's one backoff rule: exponential from {@code min}, doubling per attempt up to {@code max}, with ±50 %
 * uniform jitter so that clients that failed together do not retry together. Used by the store executor's retries and
 * by every background loop (reconnects, sink flushes, relays). Immutable; thread-safe.
 */
public final class Backoff {
    private final long minNanos;
    private final long maxNanos;

    private Backoff(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= min <= max, got " + min + ".." + max);
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
    }

    public static Backoff of(Duration min, Duration max) {
        return new Backoff(min, max);
    }

    /** The backoff of a store's retries: {@code retry.min-backoff} .. {@code retry.max-backoff}. */
    public static Backoff of(ResilienceConfig config) {
        return new Backoff(config.minBackoff(), config.maxBackoff());
    }

    /** The delay before attempt {@code attempt} (1 = the first retry), without jitter. */
    public long baseNanos(int attempt) {
        int shift = Math.max(0, Math.min(30, attempt - 1));
        long base = minNanos << shift;
        return base < 0 || base > maxNanos ? maxNanos : base;
    }

    /** The delay before attempt {@code attempt} (1 = the first retry), with ±50 % jitter. */
    public long delayNanos(int attempt) {
        long base = baseNanos(attempt);
        long jitter = (long) (base * 0.5 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return Math.max(0, base + jitter);
    }

    /** {@link #delayNanos} as a {@link Duration}. */
    public Duration delay(int attempt) {
        return Duration.ofNanos(delayNanos(attempt));
    }

    /** The longest the first {@code retries} delays can add up to (each at +50 % jitter). */
    public long worstCaseNanos(int retries) {
        long sum = 0;
        for (int i = 1; i <= retries; i++) {
            long base = baseNanos(i);
            sum += base + base / 2;
        }
        return sum;
    }

    @Override
    public String toString() {
        return "Backoff[" + Duration.ofNanos(minNanos) + ".." + Duration.ofNanos(maxNanos) + " ±50%]";
    }
}
