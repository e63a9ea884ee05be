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

    /**
     * The Lua script behind every decision, for a service in another language that shares the namespace (or a
     * benchmark's raw-driver baseline) to make the same decisions on the same keys. {@code KEYS[1]} is the window's
     * sorted set ({@code <namespace>:ratelimit:<name>:<key>}); {@code ARGV} are the limit, the window in microseconds
     * and a member unique to the acquisition. It returns {@code {allowed (1 or 0), remaining, retry-after µs}}.
     */
    static String script() {
        return """
                local limit = tonumber(ARGV[1])
                local window = tonumber(ARGV[2])
                local t = redis.call('TIME')
                local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
                redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
                local count = redis.call('ZCARD', KEYS[1])
                if count < limit then
                  redis.call('ZADD', KEYS[1], now, ARGV[3])
                  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1)
                  return {1, limit - count - 1, 0}
                end
                local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
                local retry = tonumber(oldest[2]) + window - now
                if retry < 1 then retry = 1 end
                return {0, 0, retry}
                """;
    }

    String name();

    int limit();

    Duration window();

    /** Tries to take one acquisition for {@code key} (e.g. a user or API key). Not retried on failure. */
    RateLimit tryAcquire(String key);

    /** {@link #tryAcquire} without blocking. */
    CompletionStage<RateLimit> tryAcquireAsync(String key);
}
