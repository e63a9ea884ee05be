package io.suho.hub.internal;

import io.suho.client.core.hub.Heartbeat;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service registry: instances with TTL leases, renewed by heartbeats and removed by one periodic
 * {@link #reap()} (not a timer per instance). An instance whose lease has run out is treated as gone even before
 * the reaper runs. Thread-safe.
 *
 * <p>Two backends behind this one type ({@code SUHO_HUB_REGISTRY}): {@code memory} (the default; this process's
 * maps are the registry) and {@code nats} ({@link NatsKvRegistry}: the registry is a NATS JetStream key-value bucket
 * shared by every hub; writes go to the bucket with revision checks, and these maps are this hub's view of it, kept
 * current by a watch). Readers ({@link RegistryResponses}, {@link HealthView}, the status page) read the maps the
 * same way in both cases. With NATS, {@link #version()} is the bucket revision of the last change, so hubs that
 * applied the same entries report the same version.
 */
public final class InstanceRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);

    private final ConcurrentHashMap<String, Instance> byId = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    /** Per-service index, so that reading one service never walks the whole registry. */
    private final ConcurrentHashMap<String, Set<Instance>> byService = new ConcurrentHashMap<>();
    /**
     * Registry version: goes up by one on every change (register, deregister, expiry, a heartbeat whose store
     * reports differ from the last ones); a plain lease renewal is not a change.
     */
    private final AtomicLong version = new AtomicLong();
    /** The registry version at which each service last changed; kept for removed services too (delta reads). */
    private final ConcurrentHashMap<String, Long> serviceVersion = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxInstances;
    /** The shared bucket this registry is a view of, or {@code null} for the in-memory registry. */
    private volatile NatsKvRegistry shared;
    private volatile Runnable onExpiry = () -> { };

    public InstanceRegistry(Clock clock, int maxInstances) {
        this.clock = clock;
        this.maxInstances = maxInstances;
    }

    /**
     * The registry {@code SUHO_HUB_REGISTRY} selects: in memory, or a view of the NATS KV bucket (connects, creates
     * the bucket when missing, loads every entry, then follows the bucket). Counts the leases this hub expired in
     * {@code suho.hub.leases.expired}.
     *
     * @throws io.suho.client.core.ConfigurationException when NATS cannot be reached or the bucket cannot be used,
     *     naming the variables to check
     */
    public static InstanceRegistry open(io.suho.hub.HubConfig config, Clock clock,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        InstanceRegistry r = new InstanceRegistry(clock, config.maxInstances());
        io.micrometer.core.instrument.Counter expired = io.micrometer.core.instrument.Counter
                .builder("suho.hub.leases.expired")
                .description("Leases this hub expired (with a shared registry, exactly one hub counts each)")
                .register(metrics);
        r.onExpiry = expired::increment;
        if (config.registry().nats()) {
            r.shared = NatsKvRegistry.open(config, r);
        }
        return r;
    }

    /** The backend's name: {@code memory} or {@code nats}. */
    public String backend() {
        return shared == null ? "memory" : "nats";
    }

    /** Closes the connection to a shared registry; the in-memory registry has nothing to close. */
    @Override
    public void close() {
        NatsKvRegistry s = shared;
        if (s != null) {
            s.close();
        }
    }

    /** A fresh registration: the instance and the lease secret only its registrant learns. */
    public record Lease(Instance instance, String secret) {
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Registers an instance and grants it a lease of {@code ttlSeconds}. */
    public Instance register(String service, String host, int port, int ttlSeconds, Map<String, String> meta) {
        return lease(service, host, port, ttlSeconds, meta).instance();
    }

    /**
     * Registers an instance with a new random lease secret (256 bits): heartbeats and deregistration of this
     * instance must present it, so holding the shared registration token is not enough to renew or delete
     * someone else's instance.
     */
    public Lease lease(String service, String host, int port, int ttlSeconds, Map<String, String> meta) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        return new Lease(add(service, host, port, ttlSeconds, meta, secret), secret);
    }

    private Instance add(String service, String host, int port, int ttlSeconds, Map<String, String> meta,
            String secret) {
        NatsKvRegistry s = shared;
        if (s != null) {
            if (size.get() >= maxInstances) {
                throw full();
            }
            return s.register(new Instance(UUID.randomUUID().toString(), service, host, port, ttlSeconds, meta,
                    clock.instant(), secret));
        }
        if (size.incrementAndGet() > maxInstances) {
            size.decrementAndGet();
            reap();
            throw full();
        }
        Instance i = new Instance(UUID.randomUUID().toString(), service, host, port, ttlSeconds, meta, clock.instant(),
                secret);
        byId.put(i.id(), i);
        byService.compute(service, (k, set) -> {
            Set<Instance> out = set == null ? ConcurrentHashMap.newKeySet() : set;
            out.add(i);
            return out;
        });
        changed(service);
        log.debug("registered {} instance {} at {}:{} (ttl {}s)", service, i.id(), host, port, ttlSeconds);
        return i;
    }

    /**
     * Renews a live lease and stores the client's reports (kept as they were when the heartbeat carries none);
     * empty when the id is unknown or its lease ran out. Only changed reports are a change (a new version): a plain
     * renewal is not, so readers' cached answers are not rebuilt on every heartbeat.
     */
    public Optional<Instance> heartbeat(String id, Heartbeat heartbeat) {
        Instance i = live(id).orElse(null);
        if (i == null) {
            return Optional.empty();
        }
        NatsKvRegistry s = shared;
        if (s != null) {
            return s.renew(i, heartbeat);
        }
        if (i.renew(clock.instant(), heartbeat.stores())) {
            changed(i.service());
        }
        return Optional.of(i);
    }

    /** Removes an instance; false when it was not (or no longer) registered. */
    public boolean deregister(String id) {
        Optional<Instance> live = live(id);
        NatsKvRegistry s = shared;
        if (s != null) {
            return live.isPresent() && s.remove(live.get());
        }
        if (live.isPresent() && byId.remove(id, live.get())) {
            removed(live.get());
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
            // with a shared registry the reaper expires it in the bucket (exactly once); this view follows
            if (shared == null && byId.remove(id, i)) {
                removed(i);
                expired(i);
            }
            return Optional.empty();
        }
        return Optional.of(i);
    }

    /** Drops every instance whose lease ran out; returns how many. */
    public int reap() {
        Instant now = clock.instant();
        NatsKvRegistry s = shared;
        int removed = 0;
        for (Instance i : byId.values()) {
            if (!i.expiredAt(now)) {
                continue;
            }
            if (s != null ? s.expire(i) : byId.remove(i.id(), i)) {
                if (s == null) {
                    removed(i);
                }
                expired(i);
                removed++;
            }
        }
        return removed;
    }

    private void expired(Instance i) {
        log.info("lease of {} instance {} ({}:{}) expired", i.service(), i.id(), i.host(), i.port());
        onExpiry.run();
    }

    private ApiException full() {
        return new ApiException(429, "registry_full", "the hub holds its maximum of " + maxInstances
                + " instances; retry later or raise SUHO_HUB_MAX_INSTANCES");
    }

    // ------------------------------------------------------------------ the view of a shared registry

    /**
     * A shared registry's entry for an instance (new, or a later state of one this view holds), applied in bucket
     * order by the one watch thread. A new instance, or changed store reports, are a change at {@code revision}; a
     * lease renewal alone is not.
     */
    void applyPut(Instance entry, long revision) {
        Instance cur = byId.get(entry.id());
        if (cur == null) {
            entry.revision(revision);
            byId.put(entry.id(), entry);
            size.incrementAndGet();
            byService.compute(entry.service(), (k, set) -> {
                Set<Instance> out = set == null ? ConcurrentHashMap.newKeySet() : set;
                out.add(entry);
                return out;
            });
            changed(entry.service(), revision);
        } else if (cur.adopt(entry, revision)) {
            changed(cur.service(), revision);
        }
    }

    /** A shared registry's deletion of an instance (deregistered or expired by any hub), applied in bucket order. */
    void applyRemove(String id, long revision) {
        Instance cur = byId.remove(id);
        if (cur != null) {
            size.decrementAndGet();
            byService.computeIfPresent(cur.service(), (k, set) -> {
                set.remove(cur);
                return set.isEmpty() ? null : set;
            });
            changed(cur.service(), revision);
        }
    }

    /** The instance this view holds under {@code id}, expired or not. */
    Instance held(String id) {
        return byId.get(id);
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

    private void removed(Instance i) {
        size.decrementAndGet();
        byService.computeIfPresent(i.service(), (k, set) -> {
            set.remove(i);
            return set.isEmpty() ? null : set;
        });
        changed(i.service());
    }

    // bumped after the change is visible, so a reader that saw version V before reading sees at least V's state
    private void changed(String service) {
        serviceVersion.put(service, version.incrementAndGet());
    }

    /** A change of a shared registry: its version is the bucket revision (one writer: the watch thread). */
    private void changed(String service, long revision) {
        serviceVersion.put(service, revision);
        version.accumulateAndGet(revision, Math::max);
    }

    /** The registry version: a reader that cached an answer at this version knows it is current while it holds. */
    public long version() {
        return version.get();
    }

    /** The registry version at which {@code service} last changed; 0 when it never had an instance. */
    public long version(String service) {
        return serviceVersion.getOrDefault(service, 0L);
    }

    /** Services that changed after registry version {@code since} (including services now without instances). */
    public Set<String> changedSince(long since) {
        Set<String> out = new TreeSet<>();
        serviceVersion.forEach((name, v) -> {
            if (v > since) {
                out.add(name);
            }
        });
        return out;
    }

    /** Names of services with at least one instance held, sorted. */
    public Set<String> serviceNames() {
        return new TreeSet<>(byService.keySet());
    }

    /** Live instances of one service, ordered by registration time; costs that service's size, not the registry's. */
    public List<Instance> instancesOf(String service) {
        Set<Instance> set = byService.get(service);
        if (set == null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Instance> out = new ArrayList<>(set.size());
        for (Instance i : set) {
            if (!i.expiredAt(now)) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparing(Instance::registeredAt).thenComparing(Instance::id));
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
