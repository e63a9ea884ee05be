package io.suho.bench.drill;

import io.suho.client.cache.CacheClient;
import io.suho.test.StoreKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Drill on Redis (the Dragonfly stand-in). Each write is an {@code INCR} of a per-id counter through the cache client's
 * call pipeline ({@code execute}, declared not idempotent, so the SDK never re-sends it): the counter's value is the
 * number of times the write landed, so a driver that replays a queued command after a reconnect shows up as a raw
 * copy — a repeated {@code SET} could not be counted. {@code GET} reads back, {@code MGET} accounts. Redis has no dedup:
 * {@code duplicates_after_dedup} equals {@code raw_copies}.
 */
public final class CacheDrillTarget extends SuhoDrillTarget {
    private CacheClient cache;
    private String prefix;

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public StoreKind kind() {
        return StoreKind.REDIS;
    }

    @Override
    public void setUp() {
        cache = connect(StoreKind.REDIS).get(CacheClient.class);
        prefix = "suho-drill:" + run + ":";
    }

    @Override
    public void write(String id) {
        cache.execute("drill_incr", false, c -> c.incr(prefix + id));
    }

    @Override
    public void read(String id) {
        cache.execute("drill_get", true, c -> c.get(prefix + id));
    }

    @Override
    public Optional<Boolean> exists(String id) {
        return Optional.of(cache.execute("drill_exists", true, c -> c.exists(prefix + id)) > 0);
    }

    @Override
    public Account account(Set<String> ids) {
        Set<String> stored = new HashSet<>();
        long raw = 0;
        List<String> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += 500) {
            List<String> keys = new ArrayList<>();
            for (String id : all.subList(i, Math.min(all.size(), i + 500))) {
                keys.add(prefix + id);
            }
            var values = cache.execute("drill_mget", true, c -> c.mget(keys.toArray(String[]::new)));
            for (var kv : values) {
                if (kv.hasValue()) {
                    stored.add(kv.getKey().substring(prefix.length()));
                    raw += Long.parseLong(kv.getValue()) - 1;
                }
            }
        }
        return new Account(stored, raw, raw);
    }

    @Override
    public boolean nativeReady() {
        return NativeReady.redis();
    }

    @Override
    public void close() {
        if (cache != null && prefix != null) {
            try {
                cache.execute("drill_cleanup", true, c -> {
                    List<String> keys = c.keys(prefix + "*");
                    return keys.isEmpty() ? 0L : c.del(keys.toArray(String[]::new));
                });
            } catch (RuntimeException e) {
                System.out.println("[drill] could not delete the run's keys: " + e.getMessage());
            }
        }
        super.close();
    }
}
