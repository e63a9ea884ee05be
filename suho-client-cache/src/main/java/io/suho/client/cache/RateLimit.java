package io.suho.client.cache;

import java.time.Duration;

/**
 * The answer of a {@link RateLimiter}.
 *
 * @param allowed whether this acquisition is allowed (and was counted)
 * @param remaining acquisitions still allowed in the current window after this one
 * @param retryAfter when refused, how long until the oldest counted acquisition leaves the window;
 *        {@link Duration#ZERO} when allowed
 */
public record RateLimit(boolean allowed, long remaining, Duration retryAfter) {

    /**
     * {@link #retryAfter()} in whole seconds, rounded up, as an HTTP {@code Retry-After} header wants it
     * (RFC 9110 delta-seconds: {@code Retry-After: 30}, not {@code PT29.8S}).
     *
     * @return 0 when allowed; otherwise at least 1, so a client that honours the header never retries at once
     */
    public long retryAfterSeconds() {
        if (allowed) {
            return 0;
        }
        if (retryAfter == null || retryAfter.compareTo(Duration.ofSeconds(1)) <= 0) {
            return 1;
        }
        long seconds = retryAfter.getSeconds();
        return retryAfter.getNano() > 0 ? seconds + 1 : seconds;
    }
}
