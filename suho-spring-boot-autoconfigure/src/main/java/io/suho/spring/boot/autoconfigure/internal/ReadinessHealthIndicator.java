package io.suho.spring.boot.autoconfigure.internal;

import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.SuhoClients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The stores named by {@code suho.health.readiness}: DOWN when one of them is DOWN (the service should not take
 * traffic), UP otherwise. Stores outside the set never make it DOWN: their outage only degrades the service and shows
 * in the {@code suho} health group. A listed store that was not started yet (UNKNOWN) does not count.
 */
public final class ReadinessHealthIndicator implements HealthIndicator {
    private final SuhoClients suho;
    private final Set<Store> stores;

    public ReadinessHealthIndicator(SuhoClients suho, Set<Store> stores) {
        this.suho = suho;
        this.stores = Set.copyOf(stores);
    }

    @Override
    public Health health() {
        Map<String, Object> detail = new LinkedHashMap<>();
        boolean down = false;
        for (Store store : Store.values()) {
            if (!stores.contains(store)) {
                continue;
            }
            StoreHealth h = suho.health(store);
            detail.put(store.id(), h.status().name());
            down |= h.status() == HealthStatus.DOWN;
        }
        return (down ? Health.down() : Health.up()).withDetails(detail).build();
    }
}
