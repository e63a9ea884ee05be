package io.suho.hub.grpc.internal;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.suho.client.core.EndpointCatalog;
import io.suho.hub.api.v1.HubGrpc;
import io.suho.hub.api.v1.WatchEndpointsRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The endpoint catalog kept current by one {@code WatchEndpoints} stream: opened by the first
 * {@link #awaitChange}, kept open across calls (a wait that ends without a change costs no request), and opened
 * again by the call after it broke, which first reports the failure (so the SDK can back off or move to another
 * hub). Thread-safe.
 */
final class CatalogWatch {
    private final Supplier<HubGrpc.HubStub> stubs;
    private final Function<Throwable, IOException> failures;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private EndpointCatalog latest;
    private IOException failure;
    private Stream stream;
    private boolean closed;

    /**
     * @param stubs the async stub to open a stream with (read token attached)
     * @param failures how a stream's error is reported ({@code HubRefusedException} or another {@link IOException})
     */
    CatalogWatch(Supplier<HubGrpc.HubStub> stubs, Function<Throwable, IOException> failures) {
        this.stubs = stubs;
        this.failures = failures;
    }

    /** A catalog whose version is not {@code version}, or empty when none came within {@code wait}. */
    Optional<EndpointCatalog> awaitChange(long version, Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the hub transport is closed");
            }
            if (stream == null) {
                latest = null; // the new stream's first message is the catalog as it is now
                stream = new Stream();
                stubs.get().watchEndpoints(WatchEndpointsRequest.getDefaultInstance(), stream);
            }
            while (true) {
                if (latest != null && latest.version() != version) {
                    return Optional.of(latest);
                }
                if (failure != null) {
                    IOException f = failure;
                    failure = null;
                    throw f;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream; later calls fail. */
    void close() {
        Stream s;
        lock.lock();
        try {
            closed = true;
            s = stream;
            stream = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (s != null) {
            s.cancel();
        }
    }

    /** One stream; a stream that is no longer the current one is ignored. */
    private final class Stream implements ClientResponseObserver<WatchEndpointsRequest,
            io.suho.hub.api.v1.EndpointCatalog> {
        private volatile ClientCallStreamObserver<WatchEndpointsRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchEndpointsRequest> requestStream) {
            call = requestStream;
        }

        void cancel() {
            ClientCallStreamObserver<WatchEndpointsRequest> c = call;
            if (c != null) {
                c.cancel("the SDK closed its hub transport", null);
            }
        }

        @Override
        public void onNext(io.suho.hub.api.v1.EndpointCatalog message) {
            EndpointCatalog c;
            try {
                c = GrpcMessages.catalog(message);
            } catch (IOException bad) {
                ended(bad);
                cancel();
                return;
            }
            lock.lock();
            try {
                if (stream == this) {
                    latest = c;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onError(Throwable t) {
            ended(failures.apply(t));
        }

        @Override
        public void onCompleted() {
            ended(new IOException("the hub ended the endpoint watch"));
        }

        private void ended(IOException why) {
            lock.lock();
            try {
                if (stream == this) {
                    stream = null;
                    failure = why;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
