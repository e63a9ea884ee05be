package io.suho.spring.boot.autoconfigure.internal;

import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.SuhoClients;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One store's health as an actuator {@link HealthIndicator}: the SDK's cached {@link StoreHealth} (refreshed in the
 * background by the SDK, so an actuator call never waits for a hung store) mapped to Boot's statuses
 * (UP → UP, DEGRADED → UP with {@code degraded: true}, DOWN → DOWN, UNKNOWN — not started yet — → UNKNOWN, which
 * does not change the aggregate), with latency, check time, the last error (never credentials) and the store's detail.
 */
public final class StoreHealthIndicator implements HealthIndicator {
    private final SuhoClients suho;
    private final Store store;

    public StoreHealthIndicator(SuhoClients suho, Store store) {
        this.suho = suho;
        this.store = store;
    }

    /** The store's last background check ({@link SuhoClients#health()}): returns at once, never waits for a store. */
    @Override
    public Health health() {
        StoreHealth h = suho.health().stores().get(store);
        return toHealth(h != null ? h : StoreHealth.unknown(store, "not started"));
    }

    /** Maps one SDK store health to a Boot health. */
    public static Health toHealth(StoreHealth h) {
        Health.Builder b = switch (h.status()) {
            case UP, DEGRADED -> Health.up();
            case DOWN -> Health.down();
            case UNKNOWN -> Health.status(Status.UNKNOWN);
        };
        if (h.status() == HealthStatus.DEGRADED) {
            b.withDetail("degraded", true);
        }
        b.withDetail("sdkStatus", h.status().name());
        if (h.status() != HealthStatus.UNKNOWN) {
            b.withDetail("latencyMs", h.latency().toMillis());
            b.withDetail("checkedAt", h.checkedAt().toString());
            b.withDetail("ageMs", h.age().toMillis());
        }
        if (h.error() != null) {
            b.withDetail("error", h.error());
        }
        for (Map.Entry<String, Object> e : h.detail().entrySet()) {
            b.withDetail(e.getKey(), String.valueOf(e.getValue()));
        }
        return b.build();
    }
}
