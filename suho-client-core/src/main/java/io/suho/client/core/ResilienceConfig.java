package io.suho.client.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one store's calls are protected: a timeout the module hands to its driver (JDBC socket timeout, Lettuce
 * command timeout, Kafka delivery timeout, …), retries with jittered exponential backoff for operations declared
 * idempotent, and a circuit breaker that opens after {@code breakerFailureThreshold} failures among the last
 * {@code breakerWindow} calls and lets a trial call through after {@code breakerDelay}. Immutable.
 *
 * <p>Defaults ({@link #defaults()}): timeout 1 s, 2 retries, backoff 20..200 ms, breaker opens at 5 failures of the
 * last 10 calls, half-opens after 250 ms, closes after 1 success. Override per store with the builder
 * ({@code SuhoClients.builder().resilience(Store.POSTGRES, …)}) or the keys {@code suho.<store>.timeout},
 * {@code .retry.max-retries}, {@code .retry.min-backoff}, {@code .retry.max-backoff},
 * {@code .breaker.failure-threshold}, {@code .breaker.window}, {@code .breaker.delay},
 * {@code .breaker.success-threshold}.
 */
public final class ResilienceConfig {
    private static final ResilienceConfig DEFAULTS = builder().build();

    private final Duration timeout;
    private final int maxRetries;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final int breakerFailureThreshold;
    private final int breakerWindow;
    private final Duration breakerDelay;
    private final int breakerSuccessThreshold;

    private ResilienceConfig(Builder b) {
        this.timeout = b.timeout;
        this.maxRetries = b.maxRetries;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.breakerFailureThreshold = b.breakerFailureThreshold;
        this.breakerWindow = b.breakerWindow;
        this.breakerDelay = b.breakerDelay;
        this.breakerSuccessThreshold = b.breakerSuccessThreshold;
    }

    public static ResilienceConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this config's values. */
    public Builder toBuilder() {
        return new Builder().timeout(timeout).maxRetries(maxRetries).backoff(minBackoff, maxBackoff)
                .breakerFailureThreshold(breakerFailureThreshold).breakerWindow(breakerWindow)
                .breakerDelay(breakerDelay).breakerSuccessThreshold(breakerSuccessThreshold);
    }

    /** Per-call timeout the store module configures on its driver. */
    public Duration timeout() {
        return timeout;
    }

    /** Retries after the first attempt, for idempotent operations only. */
    public int maxRetries() {
        return maxRetries;
    }

    public Duration minBackoff() {
        return minBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public int breakerFailureThreshold() {
        return breakerFailureThreshold;
    }

    public int breakerWindow() {
        return breakerWindow;
    }

    /** How long the breaker stays open before letting a trial call through. */
    public Duration breakerDelay() {
        return breakerDelay;
    }

    public int breakerSuccessThreshold() {
        return breakerSuccessThreshold;
    }

    /** The typed resilience keys of one store; their defaults are those of {@link #defaults()}. */
    private record Keys(ConfigKey<Duration> timeout, ConfigKey<Integer> maxRetries, ConfigKey<Duration> minBackoff,
            ConfigKey<Duration> maxBackoff, ConfigKey<Integer> failureThreshold, ConfigKey<Integer> window,
            ConfigKey<Duration> delay, ConfigKey<Integer> successThreshold) {

        static Keys of(Store s) {
            String p = s.keyPrefix();
            ResilienceConfig d = DEFAULTS;
            return new Keys(
                    ConfigKey.duration(p + "timeout", "Per-call timeout handed to the driver (e.g. 1s, 500ms).",
                            d.timeout),
                    ConfigKey.integer(p + "retry.max-retries", "Retries for idempotent operations (0 disables).",
                            d.maxRetries, 0, 100),
                    ConfigKey.duration(p + "retry.min-backoff",
                            "First retry backoff; doubles up to max-backoff, with jitter.", d.minBackoff),
                    ConfigKey.duration(p + "retry.max-backoff", "Largest retry backoff.", d.maxBackoff),
                    ConfigKey.integer(p + "breaker.failure-threshold",
                            "Failures within the window that open the breaker.", d.breakerFailureThreshold, 1, 10_000),
                    ConfigKey.integer(p + "breaker.window", "Number of recent calls the failure threshold counts over.",
                            d.breakerWindow, 1, 10_000),
                    ConfigKey.duration(p + "breaker.delay", "How long the breaker stays open before a trial call.",
                            d.breakerDelay),
                    ConfigKey.integer(p + "breaker.success-threshold", "Successful trial calls that close the breaker.",
                            d.breakerSuccessThreshold, 1, 10_000));
        }

        List<ConfigKey<?>> all() {
            return List.of(timeout, maxRetries, minBackoff, maxBackoff, failureThreshold, window, delay,
                    successThreshold);
        }
    }

    /** The resilience keys of one store, for validation and docs. */
    static List<ConfigKey<?>> keys(Store s) {
        return Keys.of(s).all();
    }

    /**
     * Reads this store's resilience keys on top of {@code base}. Only values someone set (builder key, system property,
     * environment) override {@code base}; the keys' documented defaults are the defaults of {@link #defaults()} and
     * never undo a module's or the builder's {@code ResilienceConfig}.
     */
    public static ResilienceConfig fromConfig(SuhoConfig config, Store s, ResilienceConfig base) {
        Keys k = Keys.of(s);
        Builder b = base.toBuilder();
        if (config.isSet(k.timeout.name())) {
            b.timeout(config.get(k.timeout));
        }
        if (config.isSet(k.maxRetries.name())) {
            b.maxRetries(config.get(k.maxRetries));
        }
        if (config.isSet(k.minBackoff.name()) || config.isSet(k.maxBackoff.name())) {
            b.backoff(config.optional(k.minBackoff.withDefault(base.minBackoff)).orElseThrow(),
                    config.optional(k.maxBackoff.withDefault(base.maxBackoff)).orElseThrow());
        }
        if (config.isSet(k.failureThreshold.name())) {
            b.breakerFailureThreshold(config.get(k.failureThreshold));
        }
        if (config.isSet(k.window.name())) {
            b.breakerWindow(config.get(k.window));
        }
        if (config.isSet(k.delay.name())) {
            b.breakerDelay(config.get(k.delay));
        }
        if (config.isSet(k.successThreshold.name())) {
            b.breakerSuccessThreshold(config.get(k.successThreshold));
        }
        return b.build(s.keyPrefix());
    }

    /** A duration as the SDK writes it in messages: {@code 250ms}, {@code 2s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    @Override
    public String toString() {
        return "ResilienceConfig{timeout=" + format(timeout) + ", maxRetries=" + maxRetries + ", backoff="
                + format(minBackoff) + ".." + format(maxBackoff) + ", breaker=" + breakerFailureThreshold + "/"
                + breakerWindow + " delay " + format(breakerDelay) + " close after " + breakerSuccessThreshold + "}";
    }

    /** Builds a {@link ResilienceConfig}; {@link #build()} validates every value. Not thread-safe. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(1);
        private int maxRetries = 2;
        private Duration minBackoff = Duration.ofMillis(20);
        private Duration maxBackoff = Duration.ofMillis(200);
        private int breakerFailureThreshold = 5;
        private int breakerWindow = 10;
        private Duration breakerDelay = Duration.ofMillis(250);
        private int breakerSuccessThreshold = 1;

        private Builder() {
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = Objects.requireNonNull(min, "min");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        public Builder breakerFailureThreshold(int failures) {
            this.breakerFailureThreshold = failures;
            return this;
        }

        public Builder breakerWindow(int calls) {
            this.breakerWindow = calls;
            return this;
        }

        public Builder breakerDelay(Duration delay) {
            this.breakerDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        public Builder breakerSuccessThreshold(int successes) {
            this.breakerSuccessThreshold = successes;
            return this;
        }

        public ResilienceConfig build() {
            return build("resilience.");
        }

        ResilienceConfig build(String keyPrefix) {
            check(!timeout.isNegative() && !timeout.isZero(), keyPrefix + "timeout", "must be positive");
            check(maxRetries >= 0, keyPrefix + "retry.max-retries", "must be 0 or more");
            check(!minBackoff.isNegative(), keyPrefix + "retry.min-backoff", "must not be negative");
            check(maxBackoff.compareTo(minBackoff) >= 0, keyPrefix + "retry.max-backoff",
                    "must be at least retry.min-backoff (" + format(minBackoff) + ")");
            check(breakerFailureThreshold >= 1, keyPrefix + "breaker.failure-threshold", "must be at least 1");
            check(breakerWindow >= breakerFailureThreshold, keyPrefix + "breaker.window",
                    "must be at least breaker.failure-threshold (" + breakerFailureThreshold + ")");
            check(!breakerDelay.isNegative() && !breakerDelay.isZero(), keyPrefix + "breaker.delay",
                    "must be positive");
            check(breakerSuccessThreshold >= 1, keyPrefix + "breaker.success-threshold", "must be at least 1");
            return new ResilienceConfig(this);
        }

        private static void check(boolean ok, String key, String message) {
            if (!ok) {
                throw new ConfigurationException(key, key + " " + message);
            }
        }
    }
}
