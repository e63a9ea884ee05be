package io.suho.client.cache.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.suho.client.cache.CacheClient;
import io.suho.client.cache.CacheCounters;
import io.suho.client.cache.CacheHash;
import io.suho.client.cache.CacheLock;
import io.suho.client.cache.CacheSortedSet;
import io.suho.client.cache.OrderBook;
import io.suho.client.cache.PriceCache;
import io.suho.client.cache.RateLimiter;
import io.suho.client.cache.SessionStore;
import io.suho.client.core.NativeCall;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@link CacheClient} over one Lettuce connection; one instance per namespace, all sharing a {@link CacheContext}. */
final class RedisCacheClient implements CacheClient {
    private final CacheContext ctx;
    private final KeySpace keys;
    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final Json json;
    private final ConcurrentHashMap<String, CacheClient> views;
    private final ReadThrough readThrough;
    private volatile SessionStore sessions;
    private volatile PriceCache prices;

    RedisCacheClient(CacheContext ctx, String namespace, ConcurrentHashMap<String, CacheClient> views) {
        this.ctx = ctx;
        this.keys = new KeySpace(namespace, ctx.maxKeyLength());
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.json = ctx.json();
        this.views = views;
        this.readThrough = new ReadThrough(this, ctx, keys);
    }

    @Override
    public String namespace() {
        return keys.namespace();
    }

    @Override
    public String storedKey(String key) {
        return keys.key("storedKey", key);
    }

    @Override
    public CacheClient withNamespace(String namespace) {
        if (namespace.equals(keys.namespace())) {
            return this;
        }
        new KeySpace(namespace, 1); // validates before caching the view
        return views.computeIfAbsent(namespace, ns -> new RedisCacheClient(ctx, ns, views));
    }

    @Override
    public CacheClient withObjectMapper(ObjectMapper mapper) {
        return new RedisCacheClient(ctx.withJson(new Json(mapper)), keys.namespace(), new ConcurrentHashMap<>());
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

    <T> Optional<T> read(String op, String key, JavaType type) {
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

    // --- lifetimes ---------------------------------------------------------------------------------------------------

    @Override
    public Optional<Duration> ttl(String key) {
        String stored = keys.key("ttl", key);
        long ms = exec.call("ttl", true, () -> conns.lines().sync().pttl(stored));
        return ms < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ms)); // -2 no key, -1 no expiry
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        String stored = keys.key("expire", key);
        if (ttl == null) {
            // PERSIST answers false for a key without expiry too: only then ask whether the key exists
            return exec.call("expire", true, () -> conns.lines().sync().persist(stored)
                    || conns.lines().sync().exists(stored) > 0);
        }
        long px = millis("expire", ttl);
        return exec.call("expire", true, () -> conns.lines().sync().pexpire(stored, px));
    }

    // --- structures on the same connection -----------------------------------------------------------------------

    @Override
    public CacheCounters counters() {
        return new RedisCounters(ctx, keys);
    }

    @Override
    public <V> CacheHash<V> hash(String key, Class<V> valueType) {
        return new RedisHash<>(ctx, keys, key, valueType);
    }

    @Override
    public CacheSortedSet sortedSet(String key) {
        return new RedisSortedSet(ctx, keys, key);
    }

    @Override
    public OrderBook orderBook(String symbol) {
        return new RedisOrderBook(ctx, keys, symbol);
    }

    @Override
    public CacheLock lock(String name, Duration lease) {
        return new RedisLock(ctx, keys, name, lease);
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
        return readThrough.getOrLoad(key, type, ttl, loader);
    }

    @Override
    public <T> CompletionStage<T> getOrLoadAsync(String key, Class<T> type, Duration ttl,
            Supplier<? extends CompletionStage<? extends T>> loader) {
        return readThrough.getOrLoadAsync(key, type, ttl, loader);
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

    static SetArgs setArgs(String op, Duration ttl) {
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
