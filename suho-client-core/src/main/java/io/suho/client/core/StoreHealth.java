package io.suho.client.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One store's health as seen from this process: status, how long the check took, when it was taken (and so its
 * {@link #age()}), the last error (never containing credentials) and store-specific detail such as pool statistics.
 *
 * @param store the store
 * @param status UP, DEGRADED, DOWN or UNKNOWN
 * @param latency how long the check took ({@link Duration#ZERO} when no check ran)
 * @param checkedAt when the check finished
 * @param error the last error message, or {@code null}
 * @param detail store-specific detail (pool sizes, server version, mode); immutable
 */
public record StoreHealth(Store store, HealthStatus status, Duration latency, Instant checkedAt, @Nullable String error,
        Map<String, Object> detail) {

    public StoreHealth {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(status, "status");
        latency = latency == null ? Duration.ZERO : latency;
        checkedAt = checkedAt == null ? Instant.now() : checkedAt;
        detail = detail == null ? Map.of() : Map.copyOf(detail);
    }

    /** How long ago this result was taken (never negative): how stale the last background check is. */
    public Duration age() {
        Duration d = Duration.between(checkedAt, Instant.now());
        return d.isNegative() ? Duration.ZERO : d;
    }

    public static StoreHealth up(Store store, Duration latency, Map<String, Object> detail) {
        return new StoreHealth(store, HealthStatus.UP, latency, Instant.now(), null, detail);
    }

    public static StoreHealth down(Store store, Duration latency, String error, Map<String, Object> detail) {
        return new StoreHealth(store, HealthStatus.DOWN, latency, Instant.now(), error, detail);
    }

    public static StoreHealth unknown(Store store, String reason) {
        return new StoreHealth(store, HealthStatus.UNKNOWN, Duration.ZERO, Instant.now(), reason, Map.of());
    }
}
