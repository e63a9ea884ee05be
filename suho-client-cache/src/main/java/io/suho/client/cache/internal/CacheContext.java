package io.suho.client.cache.internal;

import io.suho.client.core.spi.StoreExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every namespace view of the cache shares: the connections, the call pipeline, JSON, the single-flight table
 * and the settings read at start.
 */
record CacheContext(RedisConnections connections, StoreExecutor executor, Json json,
        ConcurrentHashMap<String, CompletableFuture<Object>> inflight, boolean fallbackToLoader, int maxKeyLength,
        Duration sessionTtl, boolean priceNotify) {

    /** The same context writing and reading JSON with {@code json} (a view with the user's mapper). */
    CacheContext withJson(Json json) {
        return new CacheContext(connections, executor, json, inflight, fallbackToLoader, maxKeyLength, sessionTtl,
                priceNotify);
    }
}
