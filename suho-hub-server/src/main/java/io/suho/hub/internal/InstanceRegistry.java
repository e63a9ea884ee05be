package io.suho.hub.internal;

import io.suho.client.core.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory service registry: instances with TTL leases, renewed by heartbeats and removed by one periodic
 * {@link #reap()} (not a timer per instance). An instance whose lease has run out is treated as gone even before
 * the reaper runs. Thread-safe.
 */
public final class InstanceRegistry {
    private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);

    private final ConcurrentHashMap<String, Instance> byId = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Clock clock;
    private final int maxInstances;

    public InstanceRegistry(Clock clock, int maxInstances) {
        this.clock = clock;
        this.maxInstances = maxInstances;
    }

    /** Registers an instance and grants it a lease of {@code ttlSeconds}. */
    public Instance register(String service, String host, int port, int ttlSeconds, Map<String, String> meta) {
        if (size.incrementAndGet() > maxInstances) {
            size.decrementAndGet();
            reap();
            throw new ApiException(429, "registry_full", "the hub holds its maximum of " + maxInstances
                    + " instances; retry later or raise SUHO_HUB_MAX_INSTANCES");
        }
        Instance i = new Instance(UUID.randomUUID().toString(), service, host, port, ttlSeconds, meta, clock.instant());
        byId.put(i.id(), i);
        log.debug("registered {} instance {} at {}:{} (ttl {}s)", service, i.id(), host, port, ttlSeconds);
        return i;
    }

    /** Renews a live lease and stores the client's report; empty when the id is unknown or its lease ran out. */
    public Optional<Instance> heartbeat(String id, Map<Store, Instance.StoreReport> reports) {
        Instance i = live(id).orElse(null);
        if (i == null) {
            return Optional.empty();
        }
        i.renew(clock.instant(), reports);
        return Optional.of(i);
    }

    /** Removes an instance; false when it was not (or no longer) registered. */
    public boolean deregister(String id) {
        Optional<Instance> live = live(id);
        if (live.isPresent() && byId.remove(id, live.get())) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    /** The instance if its lease is still valid. */
    public Optional<Instance> live(String id) {
        Instance i = byId.get(id);
        if (i == null) {
            return Optional.empty();
        }
        if (i.expiredAt(clock.instant())) {
            if (byId.remove(id, i)) {
                size.decrementAndGet();
            }
            return Optional.empty();
        }
        return Optional.of(i);
    }

    /** Drops every instance whose lease ran out; returns how many. */
    public int reap() {
        Instant now = clock.instant();
        int removed = 0;
        for (Instance i : byId.values()) {
            if (i.expiredAt(now) && byId.remove(i.id(), i)) {
                size.decrementAndGet();
                removed++;
                log.info("lease of {} instance {} ({}:{}) expired", i.service(), i.id(), i.host(), i.port());
            }
        }
        return removed;
    }

    /** Live instances, ordered by service then registration time. */
    public List<Instance> all() {
        Instant now = clock.instant();
        List<Instance> out = new ArrayList<>();
        for (Instance i : byId.values()) {
            if (!i.expiredAt(now)) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparing(Instance::service).thenComparing(Instance::registeredAt)
                .thenComparing(Instance::id));
        return out;
    }

    /** Number of instances held (including expired ones the reaper has not dropped yet). */
    public int size() {
        return size.get();
    }

    public Clock clock() {
        return clock;
    }
}
