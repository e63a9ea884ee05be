package io.suho.client.core;

/** The state of a store as the SDK or the hub sees it, ordered from best to worst (UNKNOWN aside). */
public enum HealthStatus {
    /** Answering normally. */
    UP,
    /** Answering, but not fully (a replica down, a slow probe, a half-open breaker). */
    DEGRADED,
    /** Not answering, or its breaker is open. */
    DOWN,
    /** Not configured or not checked yet; says nothing about the store itself. */
    UNKNOWN;

    /** The worse of two statuses; UNKNOWN never hides a known state. */
    public HealthStatus worse(HealthStatus other) {
        if (this == UNKNOWN) {
            return other;
        }
        if (other == UNKNOWN) {
            return this;
        }
        return ordinal() >= other.ordinal() ? this : other;
    }
}
