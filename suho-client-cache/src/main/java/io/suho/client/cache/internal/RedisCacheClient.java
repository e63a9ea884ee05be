package io.suho.client.cache.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.suho.client.cache.CacheClient;
import io.suho.client.cache.PriceCache;
import io.suho.client.cache.RateLimiter;
import io.suho.client.cache.SessionStore;
import io.suho.client.core.NativeCall;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.StoreExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link CacheClient} over one Lettuce connection; one instance per namespace, all sharing a {@link CacheContext}. */
final class RedisCacheClient implements CacheClient {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCacheClient.class);

    private final CacheContext ctx;
    private final KeySpace keys;
    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final Json json;
    private final ConcurrentHashMap<String, CacheClient> views;
    private volatile SessionStore sessions;
    private volatile PriceCache prices;

    RedisCacheClient(CacheContext ctx, String namespace, ConcurrentHashMap<String, CacheClient> views) {
        this.ctx = ctx;
        this.keys = new KeySpace(namespace, ctx.maxKeyLength());
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.json = ctx.json();
        this.views = views;
    }

    @Override
    public String namespace() {
        return keys.namespace();
    }

    @Override
    public CacheClient withNamespace(String namespace) {
        if (namespace.equals(keys.namespace())) {
            return this;
        }
        new KeySpace(namespace, 1); // validates before caching the view
        return views.computeIfAbsent(namespace, ns -> new RedisCacheClient(ctx, ns, views));
    }

    // --- reads ---------------------------------------------------------------------------------------------------

    @Override
    public <T> Optional<T> get(String key, Class<T> type) {
        return read("get", key, json.type(type));
    }

    @Override
    public <T> Optional<T> get(String key, TypeReference<T> type) {
        return read("get", key, json.type(type));
    }

    private <T> Optional<T> read(String op, String key, JavaType type) {
        String stored = keys.key(op, key);
        String text = exec.call(op, true, () -> conns.lines().sync().get(stored));
        return text == null ? Optional.empty() : Optional.of(json.read(op, key, text, type));
    }

    @Override
    public <T> CompletionStage<Optional<T>> getAsync(String key, Class<T> type) {
        String stored = keys.key("get", key);
        JavaType jt = json.type(type);
        return exec.<String>callAsync("get", true, () -> conns.lines().async().get(stored))
                .thenApply(text -> text == null ? Optional.<T>empty() : Optional.of(json.read("get", key, text, jt)));
    }

    @Override
    public <T> Map<String, T> mget(Collection<String> userKeys, Class<T> type) {
        String[] stored = storedKeys("mget", userKeys);
        if (stored.length == 0) {
            return Map.of();
        }
        List<KeyValue<String, String>> values = exec.call("mget", true, () -> conns.lines().sync().mget(stored));
        return decode(values, type);
    }

    @Override
    public <T> CompletionStage<Map<String, T>> mgetAsync(Collection<String> userKeys, Class<T> type) {
        String[] stored = storedKeys("mget", userKeys);
        if (stored.length == 0) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return exec.<List<KeyValue<String, String>>>callAsync("mget", true,
                () -> conns.lines().async().mget(stored)).thenApply(values -> decode(values, type));
    }

    private <T> Map<String, T> decode(List<KeyValue<String, String>> values, Class<T> type) {
        JavaType jt = json.type(type);
        Map<String, T> out = new LinkedHashMap<>(values.size() * 2);
        for (KeyValue<String, String> kv : values) {
            if (kv.hasValue()) {
                String key = keys.strip(kv.getKey());
                out.put(key, json.read("mget", key, kv.getValue(), jt));
            }
        }
        return out;
    }

    private String[] storedKeys(String op, Collection<String> userKeys) {
        String[] stored = new String[userKeys.size()];
        int i = 0;
        for (String k : userKeys) {
            stored[i++] = keys.key(op, k);
        }
        return stored;
    }

    // --- writes --------------------------------------------------------------------------------------------------

    @Override
    public void set(String key, Object value, Duration ttl) {
        String stored = keys.key("set", key);
        String text = json.write("set", key, value);
        SetArgs args = setArgs("set", ttl);
        exec.run("set", false, () -> args == null ? conns.lines().sync().set(stored, text)
                : conns.lines().sync().set(stored, text, args));
    }

    @Override
    public boolean setIfAbsent(String key, Object value, Duration ttl) {
        String stored = keys.key("setIfAbsent", key);
        String text = json.write("setIfAbsent", key, value);
        SetArgs args = ttl == null ? SetArgs.Builder.nx() : SetArgs.Builder.nx().px(millis("setIfAbsent", ttl));
        String ok = exec.call("setIfAbsent", false, () -> conns.lines().sync().set(stored, text, args));
        return "OK".equals(ok);
    }

    @Override
    public CompletionStage<Void> setAsync(String key, Object value, Duration ttl) {
        String stored = keys.key("set", key);
        String text = json.write("set", key, value);
        SetArgs args = setArgs("set", ttl);
        return exec.<String>callAsync("set", false, () -> args == null ? conns.lines().async().set(stored, text)
                : conns.lines().async().set(stored, text, args)).thenApply(ok -> null);
    }

    @Override
    public void mset(Map<String, ?> values, Duration ttl) {
        if (values.isEmpty()) {
            return;
        }
        Map<String, String> encoded = encode("mset", values);
        Duration timeout = exec.config().timeout();
        if (ttl == null) {
            exec.run("mset", false, () -> conns.lines().sync().mset(encoded));
            return;
        }
        long px = millis("mset", ttl);
        exec.run("mset", false, () -> {
            RedisAsyncCommands<String, String> async = conns.lines().async();
            List<RedisFuture<String>> futures = new ArrayList<>(encoded.size());
            SetArgs args = SetArgs.Builder.px(px);
            encoded.forEach((k, v) -> futures.add(async.set(k, v, args)));
            awaitAll(futures, timeout);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> msetAsync(Map<String, ?> values, Duration ttl) {
        if (values.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, String> encoded = encode("mset", values);
        if (ttl == null) {
            return exec.<String>callAsync("mset", false, () -> conns.lines().async().mset(encoded))
                    .thenApply(ok -> null);
        }
        long px = millis("mset", ttl);
        return exec.callAsync("mset", false, () -> {
            RedisAsyncCommands<String, String> async = conns.lines().async();
            SetArgs args = SetArgs.Builder.px(px);
            CompletableFuture<?>[] futures = encoded.entrySet().stream()
                    .map(e -> async.set(e.getKey(), e.getValue(), args).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(futures).thenApply(v -> (Void) null);
        });
    }

    private Map<String, String> encode(String op, Map<String, ?> values) {
        Map<String, String> encoded = new LinkedHashMap<>(values.size() * 2);
        values.forEach((k, v) -> encoded.put(keys.key(op, k), json.write(op, k, v)));
        return encoded;
    }

    @Override
    public boolean delete(String key) {
        String stored = keys.key("delete", key);
        return exec.call("delete", false, () -> conns.lines().sync().del(stored)) > 0;
    }

    @Override
    public long delete(Collection<String> userKeys) {
        String[] stored = storedKeys("delete", userKeys);
        if (stored.length == 0) {
            return 0;
        }
        return exec.call("delete", false, () -> conns.lines().sync().del(stored));
    }

    @Override
    public CompletionStage<Boolean> deleteAsync(String key) {
        String stored = keys.key("delete", key);
        return exec.<Long>callAsync("delete", false, () -> conns.lines().async().del(stored)).thenApply(n -> n > 0);
    }

    // --- native ----------------------------------------------------------------------------------------------------

    @Override
    public <R> R execute(String operation, boolean idempotent, NativeCall<RedisCommands<String, String>, R> call) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        return exec.call(operation, idempotent, () -> call.call(conns.lines().sync()));
    }

    // --- read-through --------------------------------------------------------------------------------------------

    @Override
    public <T> T getOrLoad(String key, Class<T> type, Duration ttl, Supplier<? extends T> loader) {
        String stored = keys.key("getOrLoad", key);
        setArgs("getOrLoad", ttl);
        JavaType jt = json.type(type);
        boolean storeDown = false;
        try {
            Optional<T> hit = read("getOrLoad", key, jt);
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
                    Optional<T> again = read("getOrLoad", key, jt);
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
            set(key, value, ttl);
        } catch (StoreUnavailableException | StoreTimeoutException e) {
            LOG.debug("getOrLoad could not cache key {}: {}", key, e.getMessage());
        }
    }

    @Override
    public <T> CompletionStage<T> getOrLoadAsync(String key, Class<T> type, Duration ttl,
            Supplier<? extends CompletionStage<? extends T>> loader) {
        String stored = keys.key("getOrLoad", key);
        setArgs("getOrLoad", ttl);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> leader = ctx.inflight().putIfAbsent(stored, mine);
        if (leader != null) {
            return leader.thenApply(type::cast);
        }
        CompletionStage<Optional<T>> lookup = getAsync(key, type).exceptionallyCompose(e -> {
            if (ctx.fallbackToLoader() && storeFault(e)) {
                return CompletableFuture.completedFuture(null); // null marks "store down, do not cache"
            }
            return CompletableFuture.failedStage(e);
        });
        CompletionStage<T> result = lookup.thenCompose(hit -> {
            if (hit != null && hit.isPresent()) {
                return CompletableFuture.completedFuture(hit.get());
            }
            boolean cache = hit != null;
            return loader.get().thenCompose(value -> {
                if (value == null || !cache) {
                    return CompletableFuture.<T>completedFuture(value);
                }
                return setAsync(key, value, ttl).handle((ok, e) -> {
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

    // --- helpers on the same connection --------------------------------------------------------------------------

    @Override
    public SessionStore sessions() {
        SessionStore s = sessions;
        if (s == null) {
            s = new RedisSessionStore(ctx, keys, ctx.sessionTtl());
            sessions = s;
        }
        return s;
    }

    @Override
    public PriceCache prices() {
        PriceCache p = prices;
        if (p == null) {
            p = new RedisPriceCache(ctx, keys);
            prices = p;
        }
        return p;
    }

    @Override
    public RateLimiter rateLimiter(String name, int limit, Duration window) {
        return new LuaRateLimiter(ctx, keys, name, limit, window);
    }

    // --- small things --------------------------------------------------------------------------------------------

    private static SetArgs setArgs(String op, Duration ttl) {
        return ttl == null ? null : SetArgs.Builder.px(millis(op, ttl));
    }

    static long millis(String op, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.toMillis() < 1) {
            throw new IllegalArgumentException(op + ": ttl must be at least 1ms (or null for no expiry), was " + ttl);
        }
        return ttl.toMillis();
    }

    static <T> void awaitAll(List<RedisFuture<T>> futures, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RedisFuture<T> f : futures) {
            long left = deadline - System.nanoTime();
            try {
                f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception c ? c : e;
            } catch (java.util.concurrent.TimeoutException e) {
                throw new io.lettuce.core.RedisCommandTimeoutException("pipelined command timed out after " + timeout);
            }
        }
    }

    @Override
    public String toString() {
        return "CacheClient{namespace=" + keys.namespace() + "}";
    }
}
