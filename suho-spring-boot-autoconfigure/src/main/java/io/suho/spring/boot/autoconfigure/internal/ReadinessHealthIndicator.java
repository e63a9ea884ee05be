package io.suho.spring.boot.autoconfigure.internal;

import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.SuhoHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The SDK's readiness view ({@link SuhoHealth#ready()}): DOWN when a store of {@code suho.health.readiness} (the
 * SDK's key; default {@code postgres,cache,nats}) is DOWN, so the service leaves the load balancer; UP otherwise.
 * Stores outside the group never make it DOWN: their outage only degrades the service and shows in the {@code suho}
 * group. A store not started yet (UNKNOWN) does not count. Cached: never waits for a store.
 */
public final class ReadinessHealthIndicator implements HealthIndicator {
    private final SuhoClients suho;

    public ReadinessHealthIndicator(SuhoClients suho) {
        this.suho = suho;
    }

    @Override
    public Health health() {
        SuhoHealth h = suho.health();
        Map<String, Object> detail = new LinkedHashMap<>();
        for (Store store : Store.values()) {
            if (h.readinessGroup().contains(store)) {
                StoreHealth s = h.stores().get(store);
                detail.put(store.id(), s == null ? "UNKNOWN" : s.status().name());
            }
        }
        return (h.ready() ? Health.up() : Health.down()).withDetails(detail).build();
    }
}
