package io.suho.client.cache.internal;

import com.fasterxml.jackson.databind.JavaType;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.spi.Causes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code getOrLoad} of one namespace view: read, and on a miss one loader per key within the process (the others
 * wait for its result), the loaded value cached best effort; with {@code fallback-to-loader} a store fault answers
 * from the loader without caching.
 */
final class ReadThrough {
    private static final Logger LOG = LoggerFactory.getLogger(ReadThrough.class);

    private final RedisCacheClient cache;
    private final CacheContext ctx;
    private final KeySpace keys;
    private final Json json;

    ReadThrough(RedisCacheClient cache, CacheContext ctx, KeySpace keys) {
        this.cache = cache;
        this.ctx = ctx;
        this.keys = keys;
        this.json = ctx.json();
    }


    <T> T getOrLoad(String key, Class<T> type, Duration ttl, Supplier<? extends T> loader) {
        String stored = keys.key("getOrLoad", key);
        RedisCacheClient.setArgs("getOrLoad", ttl);
        JavaType jt = json.type(type);
        boolean storeDown = false;
        try {
            Optional<T> hit = cache.read("getOrLoad", key, jt);
            if (hit.isPresent()) {
                return hit.get();
            }
        } catch (StoreUnavailableException | StoreTimeoutException e) {
            if (!ctx.fallbackToLoader()) {
                throw e;
            }
            storeDown = true;
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> leader = ctx.inflight().putIfAbsent(stored, mine);
        if (leader != null) {
            return type.cast(join(leader));
        }
        try {
            T value = null;
            boolean found = false;
            if (!storeDown) {
                // a caller that missed just before the previous leader stored its value must not load again
                try {
                    Optional<T> again = cache.read("getOrLoad", key, jt);
                    found = again.isPresent();
                    value = again.orElse(null);
                } catch (StoreUnavailableException | StoreTimeoutException e) {
                    if (!ctx.fallbackToLoader()) {
                        throw e;
                    }
                    storeDown = true;
                }
            }
            if (!found) {
                value = loader.get();
                if (value != null && !storeDown) {
                    storeLoaded(key, value, ttl);
                }
            }
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            ctx.inflight().remove(stored, mine);
        }
    }

    /**
     * A failed cache write after a successful load must not lose the loaded value: whether the SET was not sent or
     * its outcome is unknown, the caller gets what the loader returned (the next read loads again if it was lost).
     */
    private void storeLoaded(String key, Object value, Duration ttl) {
        try {
            cache.set(key, value, ttl);
        } catch (StoreUnavailableException | StoreTimeoutException e) {
            LOG.debug("getOrLoad could not cache key {}: {}", key, e.getMessage());
        }
    }

    <T> CompletionStage<T> getOrLoadAsync(String key, Class<T> type, Duration ttl,
            Supplier<? extends CompletionStage<? extends T>> loader) {
        String stored = keys.key("getOrLoad", key);
        RedisCacheClient.setArgs("getOrLoad", ttl);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> leader = ctx.inflight().putIfAbsent(stored, mine);
        if (leader != null) {
            return leader.thenApply(type::cast);
        }
        CompletionStage<Optional<T>> lookup = cache.getAsync(key, type).exceptionallyCompose(e -> {
            if (ctx.fallbackToLoader() && storeFault(e)) {
                return CompletableFuture.completedFuture(null); // null marks "store down, do not cache"
            }
            return CompletableFuture.failedStage(e);
        });
        CompletionStage<T> result = lookup.thenCompose(hit -> {
            if (hit != null && hit.isPresent()) {
                return CompletableFuture.completedFuture(hit.get());
            }
            boolean store = hit != null;
            return loader.get().thenCompose(value -> {
                if (value == null || !store) {
                    return CompletableFuture.<T>completedFuture(value);
                }
                return cache.setAsync(key, value, ttl).handle((ok, e) -> {
                    if (e != null && !storeFault(e)) {
                        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                    }
                    return (T) value;
                });
            });
        });
        result.whenComplete((v, e) -> {
            ctx.inflight().remove(stored, mine);
            if (e != null) {
                mine.completeExceptionally(Causes.unwrap(e));
            } else {
                mine.complete(v);
            }
        });
        return mine.thenApply(type::cast);
    }

    /**
     * True for a store that did not answer: the call was not sent, or a read's outcome is unknown (which for a cache
     * read is as good as no answer). Either way the loader's value is the answer and is not cached.
     */
    private static boolean storeFault(Throwable e) {
        Throwable t = Causes.unwrap(e);
        return t instanceof StoreUnavailableException || t instanceof StoreTimeoutException;
    }

    private static Object join(CompletableFuture<Object> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

}
