package io.suho.client.core;

import java.util.Map;

/**
 * The aggregate health of every store this process uses. {@link #status()} is the worst known store status;
 * stores that were never started are UNKNOWN and do not make the aggregate worse.
 *
 * @param status the aggregate status
 * @param stores each store's health, in {@link Store} order
 */
public record SuhoHealth(HealthStatus status, Map<Store, StoreHealth> stores) {
    public SuhoHealth {
        stores = Map.copyOf(stores);
    }

    /** Aggregates store healths: the worst known status wins; all UNKNOWN (or none) gives UNKNOWN. */
    public static SuhoHealth of(Map<Store, StoreHealth> stores) {
        HealthStatus agg = HealthStatus.UNKNOWN;
        for (StoreHealth h : stores.values()) {
            agg = agg.worse(h.status());
        }
        return new SuhoHealth(agg, stores);
    }
}
