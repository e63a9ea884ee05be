package io.suho.client.cache;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * An exact sliding-window rate limiter kept on the server: at most {@link #limit()} acquisitions per key within any
 * {@link #window()}. Each decision is one Lua script run atomically by the server (loaded once, called by SHA,
 * reloaded if the server forgot it), using the server's clock, so every instance of every service sharing the
 * namespace sees the same count. Refused acquisitions are not counted. Thread-safe.
 */
public interface RateLimiter {

    String name();

    int limit();

    Duration window();

    /** Tries to take one acquisition for {@code key} (e.g. a user or API key). Not retried on failure. */
    RateLimit tryAcquire(String key);

    /** {@link #tryAcquire} without blocking. */
    CompletionStage<RateLimit> tryAcquireAsync(String key);
}
