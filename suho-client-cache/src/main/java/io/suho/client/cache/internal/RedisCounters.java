package io.suho.client.cache.internal;

import io.lettuce.core.ScriptOutputType;
import io.suho.client.cache.CacheCounters;
import io.suho.client.cache.CacheValueException;
import io.suho.client.core.spi.StoreExecutor;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/** {@link CacheCounters}: {@code INCRBY}, or a script that also sets the expiry of a counter it creates. */
final class RedisCounters implements CacheCounters {

    // KEYS: counter; ARGV: delta, ttl ms. EXISTS before INCRBY tells creation apart from a counter back at `delta`.
    static final LuaScript INCREMENT_TTL = new LuaScript("counter-increment", """
            local created = redis.call('EXISTS', KEYS[1]) == 0
            local v = redis.call('INCRBY', KEYS[1], ARGV[1])
            if created then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return v
            """);

    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final KeySpace keys;

    RedisCounters(CacheContext ctx, KeySpace keys) {
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.keys = keys;
    }

    @Override
    public long increment(String key) {
        return increment(key, 1, null);
    }

    @Override
    public long increment(String key, long delta) {
        return increment(key, delta, null);
    }

    @Override
    public long increment(String key, long delta, Duration ttl) {
        String stored = keys.key("counters.increment", key);
        if (ttl == null) {
            return exec.call("counters.increment", false, () -> conns.lines().sync().incrby(stored, delta));
        }
        String[] k = {stored};
        String d = Long.toString(delta);
        String px = Long.toString(RedisCacheClient.millis("counters.increment", ttl));
        return exec.<Long>call("counters.increment", false,
                () -> INCREMENT_TTL.run(conns.lines().sync(), ScriptOutputType.INTEGER, k, d, px));
    }

    @Override
    public CompletionStage<Long> incrementAsync(String key, long delta, Duration ttl) {
        String stored = keys.key("counters.increment", key);
        if (ttl == null) {
            return exec.callAsync("counters.increment", false, () -> conns.lines().async().incrby(stored, delta));
        }
        String[] k = {stored};
        String d = Long.toString(delta);
        String px = Long.toString(RedisCacheClient.millis("counters.increment", ttl));
        return exec.callAsync("counters.increment", false,
                () -> INCREMENT_TTL.<Long>runAsync(conns.lines().async(), ScriptOutputType.INTEGER, k, d, px));
    }

    @Override
    public OptionalLong get(String key) {
        String stored = keys.key("counters.get", key);
        String v = exec.call("counters.get", true, () -> conns.lines().sync().get(stored));
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new CacheValueException("counters.get", key, "long",
                    "'" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "' cannot be read as", e);
        }
    }
}
