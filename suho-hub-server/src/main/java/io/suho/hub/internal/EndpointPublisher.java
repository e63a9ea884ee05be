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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Holds the current endpoint catalog (pre-serialised, so {@code GET /v1/endpoints} costs one buffer write) and
 * the long-poll waiters. A waiter is a callback, not a thread: it is completed with the new catalog when the
 * endpoints change, or with {@code null} when its wait runs out; it is removed without an answer when its client
 * disconnects. Waiters are capped in total and per client address. Thread-safe.
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
        final String client;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        Waiter(Consumer<Snapshot> callback, String client) {
            this.callback = callback;
            this.client = client;
        }

        void complete(Snapshot s) {
            if (release()) {
                callback.accept(s);
            }
        }

        /** Removes the waiter without answering (its client went away); true for the first caller only. */
        boolean release() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            waiters.remove(this);
            perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            return true;
        }
    }

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final int maxWaiters;
    private final int maxPerClient;
    private volatile Snapshot current;

    /**
     * @param initialVersion first version; the hub uses its start time in seconds so versions grow across restarts
     */
    public EndpointPublisher(long initialVersion, Map<Store, StoreEndpoint> endpoints,
            ScheduledExecutorService scheduler, int maxWaiters) {
        this(initialVersion, endpoints, scheduler, maxWaiters, maxWaiters);
    }

    /**
     * @param maxPerClient most waiters one client (address) may hold, so one caller cannot take every slot
     */
    public EndpointPublisher(long initialVersion, Map<Store, StoreEndpoint> endpoints,
            ScheduledExecutorService scheduler, int maxWaiters, int maxPerClient) {
        this.scheduler = scheduler;
        this.maxWaiters = maxWaiters;
        this.maxPerClient = maxPerClient;
        this.current = snapshot(new EndpointCatalog(initialVersion, endpoints));
    }

    /**
     * The version of a catalog derived from its content alone (a 53-bit prefix of the SHA-256 of the catalog's JSON
     * at version 0): hubs configured alike publish the same version, so a client moving between them keeps its
     * long-poll and its ETag. Versions change with the content; they do not grow.
     */
    public static long contentVersion(Map<Store, StoreEndpoint> endpoints) {
        byte[] json = new EndpointCatalog(0, endpoints).toJson().getBytes(StandardCharsets.UTF_8);
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(json);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            long bits = v & ((1L << 53) - 1); // exact in a double and a JavaScript number
            return bits == 0 ? 1 : bits;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        long v = contentVersion(endpoints);
        Snapshot next = snapshot(new EndpointCatalog(v == old.version() ? v + 1 : v, endpoints));
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
        await(version, waitSeconds, "", callback);
    }

    /**
     * Like {@link #await(long, int, Consumer)} for one client (its address): returns a handle that removes the
     * waiter without answering — call it when the client went away, so a disconnected long-poll frees its slot at
     * once instead of holding it until its wait runs out. The handle answers true when it removed the waiter (so the
     * callback will never run), false when the waiter had been answered already (or never parked).
     *
     * @throws ApiException 429 when too many requests are waiting, in total or from this client
     */
    public BooleanSupplier await(long version, int waitSeconds, String client, Consumer<Snapshot> callback) {
        Snapshot now = current;
        if (now.version() != version || waitSeconds <= 0) {
            callback.accept(now.version() != version ? now : null);
            return () -> false;
        }
        if (waiters.size() >= maxWaiters) {
            throw new ApiException(429, "too_many_waiters", "too many long-polls are waiting (" + maxWaiters
                    + "); retry later");
        }
        int[] held = new int[1];
        perClient.merge(client, 1, (a, b) -> {
            held[0] = a;
            return a >= maxPerClient ? a : a + b;
        });
        if (held[0] >= maxPerClient) {
            throw new ApiException(429, "too_many_waiters", "this client already has " + maxPerClient
                    + " long-polls waiting (SUHO_HUB_MAX_WAITERS_PER_CLIENT); retry later");
        }
        Waiter w = new Waiter(callback, client);
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
        return w::release;
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

    /** Long-polls waiting from one client address. */
    public int waiting(String client) {
        return perClient.getOrDefault(client, 0);
    }
}
