package io.suho.client.core.internal;

import io.suho.client.core.HealthStatus;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each started store's last health result fresh in the background, so that reading health never waits for a
 * store: every watched store is checked on its own interval, in parallel with the others, and a check that outlives
 * its timeout counts as DOWN at once (the hung probe is left to finish on its own thread; no second check of that
 * store starts while it runs). One ticking daemon thread schedules; checks run on daemon threads of their own
 * (at most one per store). A change of status is logged once. Thread-safe; {@link #close()} stops everything.
 */
final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final ScheduledThreadPoolExecutor ticks;
    private final ExecutorService checks;
    private final Map<Store, Watched> watched = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One store under watch: its check, its schedule and its last result. */
    private static final class Watched {
        final Store store;
        final Supplier<StoreHealth> check;
        final Duration timeout;
        final AtomicBoolean running = new AtomicBoolean();
        volatile StoreHealth last;
        volatile long runningSince;

        Watched(Store store, Supplier<StoreHealth> check, Duration timeout) {
            this.store = store;
            this.check = check;
            this.timeout = timeout;
            this.last = StoreHealth.unknown(store, "first health check running");
        }
    }

    HealthMonitor(String serviceName) {
        this.ticks = new ScheduledThreadPoolExecutor(1, daemon("suho-" + serviceName + "-health"));
        ticks.setRemoveOnCancelPolicy(true);
        this.checks = Executors.newCachedThreadPool(daemon("suho-" + serviceName + "-health-check"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts checking {@code store} now and then every {@code interval}, each check bounded by {@code timeout}. */
    void watch(Store store, Supplier<StoreHealth> check, Duration interval, Duration timeout) {
        if (closed) {
            return;
        }
        Watched w = new Watched(store, check, timeout);
        if (watched.putIfAbsent(store, w) != null) {
            return;
        }
        try {
            ticks.scheduleWithFixedDelay(() -> refresh(w), 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            watched.remove(store); // closing
        }
    }

    /** The last result of {@code store}, or {@code null} when it is not watched. Never blocks. */
    StoreHealth last(Store store) {
        Watched w = watched.get(store);
        return w == null ? null : w.last;
    }

    /** Records a result taken elsewhere (a live check), so the cached view is never older than it. */
    void record(StoreHealth health) {
        Watched w = watched.get(health.store());
        if (w != null) {
            update(w, health);
        }
    }

    private void refresh(Watched w) {
        if (!w.running.compareAndSet(false, true)) {
            long runningNanos = System.nanoTime() - w.runningSince;
            if (runningNanos > w.timeout.toNanos()) {
                update(w, StoreHealth.down(w.store, Duration.ofNanos(runningNanos), "health check still running after "
                        + ResilienceConfig.format(Duration.ofMillis(runningNanos / 1_000_000))
                        + " (timeout " + ResilienceConfig.format(w.timeout) + ")", Map.of()));
            }
            return;
        }
        w.runningSince = System.nanoTime();
        CompletableFuture<StoreHealth> f;
        try {
            f = CompletableFuture.supplyAsync(() -> {
                try {
                    return w.check.get();
                } finally {
                    w.running.set(false);
                }
            }, checks);
        } catch (RejectedExecutionException e) {
            w.running.set(false);
            return;
        }
        f.orTimeout(w.timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((h, e) -> {
            if (closed) {
                return;
            }
            if (e == null) {
                update(w, h);
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                update(w, StoreHealth.down(w.store, w.timeout, "health check got no answer within "
                        + ResilienceConfig.format(w.timeout), Map.of()));
            } else {
                update(w, StoreHealth.down(w.store, Duration.ZERO, "health check failed: " + cause, Map.of()));
            }
        });
    }

    private static void update(Watched w, StoreHealth now) {
        StoreHealth before = w.last;
        w.last = now;
        if (before.status() != now.status() && before.status() != HealthStatus.UNKNOWN) {
            if (now.status() == HealthStatus.UP) {
                log.info("{} is UP again (was {})", w.store.id(), before.status());
            } else {
                log.warn("{} is {}: {}", w.store.id(), now.status(), now.error());
            }
        }
    }

    /** Stops the schedule and abandons checks in flight. Idempotent. */
    @Override
    public void close() {
        closed = true;
        ticks.shutdownNow();
        checks.shutdownNow();
        watched.clear();
    }
}
