package io.suho.hub.internal;

import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Store;
import io.suho.client.core.StoreEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Holds the current endpoint catalog (pre-serialised, so {@code GET /v1/endpoints} costs one buffer write) and
 * the long-poll waiters. A waiter is a callback, not a thread: it is completed with the new catalog when the
 * endpoints change, or with {@code null} when its wait runs out. Thread-safe.
 */
public final class EndpointPublisher {

    /** One published catalog and its JSON bytes. */
    public record Snapshot(EndpointCatalog catalog, byte[] json) {
        public long version() {
            return catalog.version();
        }
    }

    private final class Waiter {
        final Consumer<Snapshot> callback;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        Waiter(Consumer<Snapshot> callback) {
            this.callback = callback;
        }

        void complete(Snapshot s) {
            if (done.compareAndSet(false, true)) {
                waiters.remove(this);
                ScheduledFuture<?> t = timeout;
                if (t != null) {
                    t.cancel(false);
                }
                callback.accept(s);
            }
        }
    }

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final int maxWaiters;
    private volatile Snapshot current;

    /**
     * @param initialVersion first version; the hub uses its start time in seconds so versions grow across restarts
     */
    public EndpointPublisher(long initialVersion, Map<Store, StoreEndpoint> endpoints,
            ScheduledExecutorService scheduler, int maxWaiters) {
        this.scheduler = scheduler;
        this.maxWaiters = maxWaiters;
        this.current = snapshot(new EndpointCatalog(initialVersion, endpoints));
    }

    private static Snapshot snapshot(EndpointCatalog c) {
        return new Snapshot(c, c.toJson().getBytes(StandardCharsets.UTF_8));
    }

    public Snapshot current() {
        return current;
    }

    /**
     * Publishes new endpoints under the next version and wakes every waiter; does nothing when they equal the
     * current ones. Returns the snapshot in effect.
     */
    public synchronized Snapshot publish(Map<Store, StoreEndpoint> endpoints) {
        Snapshot old = current;
        if (old.catalog().stores().equals(Map.copyOf(endpoints))) {
            return old;
        }
        Snapshot next = snapshot(new EndpointCatalog(old.version() + 1, endpoints));
        current = next;
        for (Waiter w : waiters) {
            w.complete(next);
        }
        return next;
    }

    /**
     * Answers at once when {@code version} is not the current one, else parks the callback until the catalog
     * changes or {@code waitSeconds} pass (then the callback gets {@code null}).
     *
     * @throws ApiException 429 when too many requests are already waiting
     */
    public void await(long version, int waitSeconds, Consumer<Snapshot> callback) {
        Snapshot now = current;
        if (now.version() != version || waitSeconds <= 0) {
            callback.accept(now.version() != version ? now : null);
            return;
        }
        if (waiters.size() >= maxWaiters) {
            throw new ApiException(429, "too_many_waiters", "too many long-polls are waiting (" + maxWaiters
                    + "); retry later");
        }
        Waiter w = new Waiter(callback);
        waiters.add(w);
        w.timeout = scheduler.schedule(() -> w.complete(null), waitSeconds, TimeUnit.SECONDS);
        if (w.done.get()) {
            w.timeout.cancel(false);
        }
        // a change published between the version check and add() would otherwise be missed
        Snapshot again = current;
        if (again.version() != version) {
            w.complete(again);
        }
    }

    /** Ends every wait now (with "no change"), for shutdown. */
    public void releaseAll() {
        for (Waiter w : waiters) {
            w.complete(null);
        }
    }

    public int waiting() {
        return waiters.size();
    }
}
