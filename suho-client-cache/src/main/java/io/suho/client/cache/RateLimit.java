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
}
