package io.suho.hub.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.suho.hub.api.v1.EndpointCatalog;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC {@code WatchEndpoints} streams: each sends the current catalog, then every newer one. A stream is parked in
 * the {@link EndpointPublisher} as a long-poll waiter (a callback, not a thread), re-parked after each change and
 * each wait that runs out, so it counts against the same caps ({@code SUHO_HUB_MAX_WAITERS}, per client
 * {@code SUHO_HUB_MAX_WAITERS_PER_CLIENT}) and is woken by the same publish. A client that reads slowly gets the
 * newest catalog once it can take one (catalogs in between are skipped, never queued). Catalog
 * versions are content-derived (the same on every hub configured alike), so a stream compares them for equality
 * only. Thread-safe.
 */
final class EndpointWatches {
    private static final Logger log = LoggerFactory.getLogger(EndpointWatches.class);

    private final EndpointPublisher publisher;
    private final int waitSeconds;
    private final Set<Watch> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    /** The last catalog turned into its message, shared by every stream (changes are rare, watchers many). */
    private volatile Converted converted;

    private record Converted(long version, EndpointCatalog message) {
    }

    /** @param waitSeconds how long one parking lasts before the stream parks again (the long-poll's longest wait) */
    EndpointWatches(EndpointPublisher publisher, int waitSeconds) {
        this.publisher = publisher;
        this.waitSeconds = waitSeconds;
    }

    /** Starts a stream for {@code client}: sends the current catalog and parks it. */
    void watch(ServerCallStreamObserver<EndpointCatalog> out, String client) {
        Watch w = new Watch(out, client);
        out.setOnCancelHandler(w::cancelled);
        out.setOnReadyHandler(w::flush);
        open.add(w);
        EndpointPublisher.Snapshot now = publisher.current();
        w.offer(now);
        w.park(now.version());
    }

    /** Streams open now. */
    int open() {
        return open.size();
    }

    /** Ends every stream with UNAVAILABLE (the hub is stopping); new parks are refused from now on. */
    void close() {
        closing = true;
        for (Watch w : open) {
            w.end(Status.UNAVAILABLE.withDescription("the hub is shutting down; watch another hub or retry")
                    .asRuntimeException());
        }
    }

    private EndpointCatalog message(EndpointPublisher.Snapshot s) {
        Converted c = converted;
        if (c == null || c.version() != s.version()) {
            c = new Converted(s.version(), GrpcMessages.catalog(s.catalog()));
            converted = c;
        }
        return c.message();
    }

    /** One stream. Its state is guarded by its own monitor; the publisher's callbacks may come from any thread. */
    private final class Watch {
        private final ServerCallStreamObserver<EndpointCatalog> out;
        private final String client;
        /** The version last sent; versions are content-derived, so only "different", never "newer", is known. */
        private long sent;
        private boolean sentAny;
        private EndpointPublisher.Snapshot pending;
        private boolean done;
        /** Bumped by each park, so an older park's handle never replaces a newer one's. */
        private long parks;
        private BooleanSupplier release = () -> false;

        Watch(ServerCallStreamObserver<EndpointCatalog> out, String client) {
            this.out = out;
            this.client = client;
        }

        /** Waits for a version after {@code version}; called again after each answer. */
        void park(long version) {
            long mine;
            synchronized (this) {
                if (done) {
                    return;
                }
                mine = ++parks;
            }
            if (closing) {
                end(Status.UNAVAILABLE.withDescription("the hub is shutting down").asRuntimeException());
                return;
            }
            BooleanSupplier handle;
            try {
                handle = publisher.await(version, waitSeconds, client, s -> changed(s, version));
            } catch (ApiException e) {
                end(GrpcStatus.of(e)); // too many waiters, in total or from this client
                return;
            }
            boolean freeNow;
            synchronized (this) {
                if (parks == mine) {
                    release = handle;
                }
                freeNow = done;
            }
            if (freeNow) {
                handle.getAsBoolean(); // cancelled while parking: free the slot now
            }
        }

        /** The publisher's answer: a newer catalog, or {@code null} when the wait ran out. */
        private void changed(EndpointPublisher.Snapshot s, long waitedFor) {
            if (s != null) {
                offer(s);
            }
            park(s != null ? s.version() : waitedFor);
        }

        synchronized void offer(EndpointPublisher.Snapshot s) {
            if (done || sentAny && s.version() == sent) {
                return;
            }
            if (out.isReady()) {
                send(s);
            } else {
                pending = s; // the newest wins; the client gets it when it can take one
            }
        }

        synchronized void flush() {
            if (!done && pending != null && out.isReady()) {
                EndpointPublisher.Snapshot s = pending;
                pending = null;
                if (!sentAny || s.version() != sent) {
                    send(s);
                }
            }
        }

        private void send(EndpointPublisher.Snapshot s) {
            try {
                out.onNext(message(s));
                sent = s.version();
                sentAny = true;
            } catch (RuntimeException e) {
                log.debug("endpoint watch of {} ended while sending: {}", client, e.toString());
            }
        }

        void cancelled() {
            finish();
        }

        void end(StatusRuntimeException status) {
            if (!finish()) {
                return;
            }
            try {
                out.onError(status);
            } catch (RuntimeException e) {
                log.debug("ending the endpoint watch of {}: {}", client, e.toString());
            }
        }

        /** Marks this watch done once, frees its waiter slot and forgets it; false when it was done already. */
        private boolean finish() {
            BooleanSupplier r;
            synchronized (this) {
                if (done) {
                    return false;
                }
                done = true;
                r = release;
            }
            r.getAsBoolean();
            open.remove(this);
            return true;
        }
    }
}
