package io.suho.client.cache.internal;

import io.lettuce.core.ScriptOutputType;
import io.suho.client.cache.RateLimit;
import io.suho.client.cache.RateLimiter;
import io.suho.client.core.spi.StoreExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exact sliding-window log in a sorted set per key: members are acquisitions scored by the server's clock in
 * microseconds; the script drops those older than the window, then admits only when fewer than the limit remain.
 */
final class LuaRateLimiter implements RateLimiter {

    static final LuaScript SCRIPT = new LuaScript("rate-limit", RateLimiter.script());

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String INSTANCE = Long.toHexString(ThreadLocalRandom.current().nextLong());

    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final KeySpace keys;
    private final String name;
    private final int limit;
    private final Duration window;
    private final String limitArg;
    private final String windowArg;

    LuaRateLimiter(CacheContext ctx, KeySpace keys, String name, int limit, Duration window) {
        keys.check("rateLimiter", name);
        if (limit < 1) {
            throw new IllegalArgumentException("rateLimiter '" + name + "': limit must be at least 1, was " + limit);
        }
        if (window == null || window.toMillis() < 1) {
            throw new IllegalArgumentException("rateLimiter '" + name + "': window must be at least 1ms, was "
                    + window);
        }
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.keys = keys;
        this.name = name;
        this.limit = limit;
        this.window = window;
        this.limitArg = Integer.toString(limit);
        this.windowArg = Long.toString(window.toNanos() / 1000);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int limit() {
        return limit;
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public RateLimit tryAcquire(String key) {
        String[] k = {keys.key("rateLimit", "ratelimit:" + name, key)};
        String member = member();
        List<Object> r = exec.call("rateLimit", false,
                () -> SCRIPT.run(conns.lines().sync(), ScriptOutputType.MULTI, k, limitArg, windowArg, member));
        return toLimit(r);
    }

    @Override
    public CompletionStage<RateLimit> tryAcquireAsync(String key) {
        String[] k = {keys.key("rateLimit", "ratelimit:" + name, key)};
        String member = member();
        return exec.<List<Object>>callAsync("rateLimit", false,
                () -> SCRIPT.runAsync(conns.lines().async(), ScriptOutputType.MULTI, k, limitArg, windowArg, member))
                .thenApply(LuaRateLimiter::toLimit);
    }

    private static String member() {
        return INSTANCE + ":" + SEQUENCE.incrementAndGet();
    }

    private static RateLimit toLimit(List<Object> r) {
        boolean allowed = ((Long) r.get(0)) == 1L;
        long remaining = (Long) r.get(1);
        long retryMicros = (Long) r.get(2);
        return new RateLimit(allowed, remaining, allowed ? Duration.ZERO : Duration.ofNanos(retryMicros * 1000));
    }
}
