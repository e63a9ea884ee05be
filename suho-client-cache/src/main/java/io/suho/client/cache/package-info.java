/**
 * The cache (DragonflyDB / Redis protocol): {@link io.suho.client.cache.CacheClient} with typed values, sessions,
 * prices, rate limiting, counters, hashes, sorted sets, order books and locks.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.cache;

import org.jspecify.annotations.NullMarked;
