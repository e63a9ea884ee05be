package io.suho.client.cache;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Atomic integer counters in the cache's namespace: order sequence numbers, fixed-window request counts, stock
 * reservations. A counter is a plain string key {@code <namespace>:<key>} holding a 64-bit integer, so
 * {@code cache.get(key, Long.class)}, {@link CacheClient#ttl}, {@link CacheClient#expire} and
 * {@link CacheClient#delete(String)} work on it too. Get it with {@link CacheClient#counters()}.
 *
 * <p>Increments are {@code INCRBY} on the server, atomic across every instance of every service sharing the
 * namespace. They are <b>not retried</b>: running an increment twice counts twice, so a
 * {@link io.suho.client.core.StoreTimeoutException} means the increment may or may not have been counted. A key
 * holding something that is not an integer, or an increment that would overflow, fails with a
 * {@link io.suho.client.core.StoreOperationException} (code {@code ERR}); nothing is changed. Reads are retried.
 * Thread-safe.
 */
public interface CacheCounters {

    /** Adds one; a missing key starts at zero (and has no expiry). Returns the new value. */
    long increment(String key);

    /** Adds {@code delta} (negative to count down); a missing key starts at zero. Returns the new value. */
    long increment(String key, long delta);

    /**
     * Adds {@code delta}, and when this call creates the key gives it {@code ttl}, in one atomic step (a Lua script:
     * no window in which the counter exists without its expiry, whatever other callers do). A counter that already
     * exists keeps its expiry: the window of a fixed-window count starts with its first increment.
     *
     * <pre>{@code
     * long inWindow = cache.counters().increment("logins:" + userId, 1, Duration.ofMinutes(1));
     * }</pre>
     *
     * @param ttl lifetime given to a counter this call creates, at least 1 ms; {@code null} for no expiry
     * @return the new value
     */
    long increment(String key, long delta, @Nullable Duration ttl);

    /** The counter's value, or empty when the key does not exist. A non-integer value is a {@link CacheValueException}. */
    OptionalLong get(String key);

    /** {@link #increment(String, long, Duration)} without blocking. */
    CompletionStage<Long> incrementAsync(String key, long delta, @Nullable Duration ttl);
}
