package io.suho.bench.drill;

import io.suho.client.cache.CacheClient;
import io.suho.test.StoreKind;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Drill on Redis (the Dragonfly stand-in): SET of a per-id key, GET back, MGET to account. */
public final class CacheDrillTarget extends SuhoDrillTarget {
    private CacheClient cache;

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
        cache = connect(StoreKind.REDIS).get(CacheClient.class).withNamespace("drill-" + run);
    }

    @Override
    public void write(String id) {
        cache.set(id, id, Duration.ofHours(1));
    }

    @Override
    public void read(String id) {
        cache.get(id, String.class);
    }

    @Override
    public Account account(Set<String> ids) {
        Set<String> stored = new HashSet<>();
        List<String> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += 500) {
            Map<String, String> got = cache.mget(all.subList(i, Math.min(all.size(), i + 500)), String.class);
            stored.addAll(got.keySet());
        }
        return new Account(stored, 0); // a key holds one value: a repeated SET cannot duplicate
    }
}
