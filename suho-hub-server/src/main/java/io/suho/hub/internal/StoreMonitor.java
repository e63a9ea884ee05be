package io.suho.hub.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.hub.HubConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one store's probe on its interval and keeps the store's health with anti-flap thresholds: an UP store
 * turns DEGRADED on its first failure and DOWN after {@code failuresToDown} consecutive ones; a DOWN store comes
 * back UP after {@code successesToUp} consecutive successes. Until the first success or DOWN verdict the store is
 * UNKNOWN (so a slow first probe at start-up is not an alarm). A probe
 * that outlives its timeout counts as a failure, and no new probe starts while it still hangs, so a hanging
 * store costs one worker thread and never delays the other stores. Thread-safe.
 */
public final class StoreMonitor {
    private static final Logger log = LoggerFactory.getLogger(StoreMonitor.class);
    private static final int HISTORY = 20;

    /** One probe outcome, for {@code /v1/stores/{store}}. */
    public record Check(Instant at, boolean ok, double latencyMs, String error) {
    }

    /** An immutable view of the store's health. */
    public record State(Store store, HealthStatus status, boolean configured, Instant since, Instant lastCheck,
            double latencyMs, String lastError, Instant lastErrorAt, int consecutiveFailures,
            int consecutiveSuccesses, Map<String, Object> detail, boolean probed) {
    }

    private final Store store;
    private final Probe probe;
    private final HubConfig.ProbeSettings settings;
    private final List<Secret> secrets;
    private final Clock clock;
    private final Timer okTimer;
    private final Timer failTimer;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile long inFlightSince;
    private final ArrayDeque<Check> history = new ArrayDeque<>();
    private volatile State state;

    StoreMonitor(Store store, Probe probe, HubConfig.ProbeSettings settings, List<Secret> secrets, Clock clock,
            MeterRegistry registry) {
        this.store = store;
        this.probe = probe;
        this.settings = settings;
        this.secrets = secrets;
        this.clock = clock;
        this.state = new State(store, HealthStatus.UNKNOWN, true, clock.instant(), null, 0, "not probed yet", null,
                0, 0, Map.of(), false);
        this.okTimer = Timer.builder("suho.hub.probe.duration").description("Duration of the hub's store probes")
                .tag("store", store.id()).tag("outcome", "success").register(registry);
        this.failTimer = Timer.builder("suho.hub.probe.duration").description("Duration of the hub's store probes")
                .tag("store", store.id()).tag("outcome", "failure").register(registry);
    }

    /** A monitor for a store that is not configured: always UNKNOWN with the reason, never probed. */
    static State unconfigured(Store store, String reason, Instant since) {
        return new State(store, HealthStatus.UNKNOWN, false, since, null, 0, reason, null, 0, 0, Map.of(), false);
    }

    public Store store() {
        return store;
    }

    public State state() {
        return state;
    }

    public HubConfig.ProbeSettings settings() {
        return settings;
    }

    public synchronized List<Check> history() {
        return new ArrayList<>(history);
    }

    private volatile java.util.concurrent.ScheduledFuture<?> schedule;

    void start(ScheduledExecutorService scheduler, ExecutorService workers) {
        schedule = scheduler.scheduleWithFixedDelay(() -> tick(scheduler, workers), 0, settings.interval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void tick(ScheduledExecutorService scheduler, ExecutorService workers) {
        if (!inFlight.compareAndSet(false, true)) {
            // a probe within its timeout is simply still running; one past it (the backstop already counted one
            // failure) keeps counting, so a hanging store does go DOWN
            long running = System.nanoTime() - inFlightSince;
            if (running > settings.timeout().toNanos() + 500_000_000L) {
                record(false, running, "previous probe still hangs after " + running / 1_000_000 + " ms", null);
            }
            return;
        }
        AtomicBoolean recorded = new AtomicBoolean();
        long start = System.nanoTime();
        inFlightSince = start;
        Future<?> task;
        try {
            task = workers.submit(() -> {
                try {
                    Map<String, Object> detail = probe.check(settings.timeout());
                    if (recorded.compareAndSet(false, true)) {
                        record(true, System.nanoTime() - start, null, detail);
                    }
                } catch (Throwable e) {
                    if (recorded.compareAndSet(false, true)) {
                        record(false, System.nanoTime() - start, describe(e), null);
                    }
                } finally {
                    inFlight.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.set(false);
            return; // shutting down
        }
        // the drivers' own timeouts should end the probe; this is the backstop for one that does not
        long grace = settings.timeout().toMillis() + 500;
        scheduler.schedule(() -> {
            if (!task.isDone() && recorded.compareAndSet(false, true)) {
                task.cancel(true);
                record(false, System.nanoTime() - start, "timed out after " + settings.timeout().toMillis() + " ms",
                        null);
            }
        }, grace, TimeUnit.MILLISECONDS);
    }

    private String describe(Throwable e) {
        Throwable t = e;
        String msg = t.getMessage();
        // driver exceptions often wrap the useful cause ("Connection refused")
        while ((msg == null || msg.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            msg = t.getMessage();
        }
        String text = t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        for (Secret s : secrets) {
            String v = s.reveal();
            if (!v.isEmpty()) {
                text = text.replace(v, "****");
            }
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private synchronized void record(boolean ok, long nanos, String error, Map<String, Object> detail) {
        (ok ? okTimer : failTimer).record(nanos, TimeUnit.NANOSECONDS);
        Instant now = clock.instant();
        double ms = nanos / 1_000_000.0;
        history.addLast(new Check(now, ok, ms, error));
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
        State s = state;
        int failures = ok ? 0 : s.consecutiveFailures() + 1;
        int successes = ok ? s.consecutiveSuccesses() + 1 : 0;
        HealthStatus next;
        if (s.status() == HealthStatus.UNKNOWN) {
            // not known yet: one success shows it up; going DOWN still takes the full failure threshold
            next = ok ? HealthStatus.UP : failures >= settings.failuresToDown() ? HealthStatus.DOWN
                    : HealthStatus.UNKNOWN;
        } else if (ok) {
            next = s.status() == HealthStatus.DOWN && successes < settings.successesToUp()
                    ? HealthStatus.DOWN : HealthStatus.UP;
        } else {
            next = failures >= settings.failuresToDown() || s.status() == HealthStatus.DOWN
                    ? HealthStatus.DOWN : HealthStatus.DEGRADED;
        }
        Instant since = next == s.status() && s.probed() || isUpLike(next) && isUpLike(s.status()) ? s.since()
                : now;
        String lastError = ok ? s.lastError() : error;
        Instant lastErrorAt = ok ? s.lastErrorAt() : now;
        if (!s.probed() && ok) {
            lastError = null;
        }
        state = new State(store, next, true, since, now, ms, lastError, lastErrorAt, failures, successes,
                detail != null ? detail : s.detail(), true);
        if (next != s.status()) {
            if (next == HealthStatus.DOWN) {
                log.warn("store {} is DOWN ({} consecutive failures): {}", store.id(), failures, error);
            } else if (next == HealthStatus.UP) {
                log.info("store {} is UP ({} ms)", store.id(), String.format(java.util.Locale.ROOT, "%.1f", ms));
            } else if (next == HealthStatus.DEGRADED) {
                log.warn("store {} probe failed (1 of {} before DOWN): {}", store.id(), settings.failuresToDown(),
                        error);
            }
        }
    }

    private static boolean isUpLike(HealthStatus h) {
        return h == HealthStatus.UP || h == HealthStatus.DEGRADED;
    }

    void close() {
        java.util.concurrent.ScheduledFuture<?> f = schedule;
        if (f != null) {
            f.cancel(false);
        }
        try {
            probe.close();
        } catch (Exception e) {
            log.debug("closing {} probe: {}", store.id(), e.toString());
        }
    }
}
