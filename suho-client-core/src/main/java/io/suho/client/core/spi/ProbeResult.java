package io.suho.client.core.spi;

import io.suho.client.core.HealthStatus;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one health probe of a store saw, before the core adds timing and the breaker state: a status, a message when
 * not UP, and store-specific detail (pool sizes, role, server version). Immutable.
 *
 * @param status UP, DEGRADED or DOWN
 * @param message why it is not UP, or {@code null}
 * @param failure the failure behind a DOWN, described by the store's {@link FailurePolicy}; or {@code null}
 * @param detail store-specific detail, copied
 */
public record ProbeResult(HealthStatus status, @Nullable String message, @Nullable Throwable failure, Map<String, Object> detail) {

    public ProbeResult {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? Map.of() : Map.copyOf(detail);
    }

    public static ProbeResult up(Map<String, Object> detail) {
        return new ProbeResult(HealthStatus.UP, null, null, detail);
    }

    public static ProbeResult degraded(String message, Map<String, Object> detail) {
        return new ProbeResult(HealthStatus.DEGRADED, message, null, detail);
    }

    public static ProbeResult down(String message, Map<String, Object> detail) {
        return new ProbeResult(HealthStatus.DOWN, message, null, detail);
    }

    /** DOWN because of {@code failure}; the core writes the message from the store's failure policy. */
    public static ProbeResult down(Throwable failure, Map<String, Object> detail) {
        return new ProbeResult(HealthStatus.DOWN, null, failure, detail);
    }
}
