package io.suho.client.core;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The health of every store this process uses, in two views:
 *
 * <ul>
 *   <li>{@link #status()} — overall: the worst known status of all stores (for dashboards and alerts);</li>
 *   <li>{@link #readiness()} — the worst known status of the readiness group only ({@code suho.health.readiness},
 *       default {@code postgres,cache,nats}, see {@link HealthKeys#READINESS}); {@link #ready()} is false only when
 *       a store of that group is DOWN. Wire this one into a readiness probe: an analytics outage then degrades the
 *       service without taking it out of the load balancer.</li>
 * </ul>
 *
 * Stores never started, or not checked yet, are UNKNOWN and make neither view worse. Each {@link StoreHealth} is
 * the last background check's result, with its {@link StoreHealth#age()}. Immutable.
 *
 * @param status the overall status: the worst known status of all stores
 * @param stores each store's health, in {@link Store} order
 * @param readinessGroup the stores whose DOWN makes the service not ready
 * @param readiness the worst known status of the stores of {@code readinessGroup}
 */
public record SuhoHealth(HealthStatus status, Map<Store, StoreHealth> stores, Set<Store> readinessGroup,
        HealthStatus readiness) {

    public SuhoHealth {
        stores = Map.copyOf(stores);
        readinessGroup = Set.copyOf(readinessGroup);
    }

    /** An aggregate whose readiness group is every store of {@code stores}. */
    public SuhoHealth(HealthStatus status, Map<Store, StoreHealth> stores) {
        this(status, stores, stores.keySet(), status);
    }

    /** Aggregates store healths: the worst known status wins; all UNKNOWN (or none) gives UNKNOWN. */
    public static SuhoHealth of(Map<Store, StoreHealth> stores) {
        return of(stores, stores.keySet());
    }

    /** Aggregates store healths, with the readiness view over {@code readinessGroup} only. */
    public static SuhoHealth of(Map<Store, StoreHealth> stores, Set<Store> readinessGroup) {
        HealthStatus all = HealthStatus.UNKNOWN;
        HealthStatus ready = HealthStatus.UNKNOWN;
        for (StoreHealth h : stores.values()) {
            all = all.worse(h.status());
            if (readinessGroup.contains(h.store())) {
                ready = ready.worse(h.status());
            }
        }
        return new SuhoHealth(all, stores, readinessGroup.isEmpty() ? Set.of() : EnumSet.copyOf(readinessGroup),
                ready);
    }

    /** False only when a store of the readiness group is DOWN (UP, DEGRADED and UNKNOWN are ready). */
    public boolean ready() {
        return readiness != HealthStatus.DOWN;
    }
}
