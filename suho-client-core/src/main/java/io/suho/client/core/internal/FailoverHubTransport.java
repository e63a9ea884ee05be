package io.suho.client.core.internal;

import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.hub.HubLease;
import io.suho.client.core.hub.HubRefusedException;
import io.suho.client.core.hub.HubRegistration;
import io.suho.client.core.hub.HubTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several hubs behind one {@link HubTransport} ({@code suho.hub.urls}): every call goes to the current hub; when it
 * cannot be reached or fails (connection refused, timeout, HTTP 5xx, any {@link IOException} but a
 * {@link HubRefusedException}) the same call is tried on the next hub, in list order, wrapping around, and the first
 * that answers becomes the current one for every later call (sticky: the SDK does not flap between hubs, nor go
 * back to the first while the one it moved to answers). A refusal (4xx) is returned at once, because every hub of
 * one registry would refuse alike. A lease is kept across hubs: hubs sharing a registry accept a lease any of them
 * issued; a hub that does not know it answers the heartbeat with {@code false} and the SDK registers again there.
 * One call may take up to (number of hubs) × its timeout when every hub is down. Thread-safe.
 */
final class FailoverHubTransport implements HubTransport {
    private static final Logger log = LoggerFactory.getLogger(FailoverHubTransport.class);

    @FunctionalInterface
    private interface Call<T> {
        T on(HubTransport hub) throws IOException, InterruptedException;
    }

    private final List<HubTransport> hubs;
    private final AtomicInteger current = new AtomicInteger();

    /** @param hubs at least one transport, in the order of {@code suho.hub.urls}; closed by {@link #close()} */
    FailoverHubTransport(List<HubTransport> hubs) {
        if (hubs.isEmpty()) {
            throw new IllegalArgumentException("at least one hub");
        }
        this.hubs = List.copyOf(hubs);
    }

    /** The hub calls go to now. */
    @Override
    public URI uri() {
        return hubs.get(current.get()).uri();
    }

    /** Every hub, in order. */
    List<URI> uris() {
        return hubs.stream().map(HubTransport::uri).toList();
    }

    @Override
    public EndpointCatalog endpoints(Duration timeout) throws IOException, InterruptedException {
        return call("endpoints", h -> h.endpoints(timeout));
    }

    @Override
    public Optional<EndpointCatalog> awaitChange(long version, Duration wait) throws IOException, InterruptedException {
        return call("endpoint watch", h -> h.awaitChange(version, wait));
    }

    @Override
    public HubLease register(HubRegistration registration, Duration timeout) throws IOException, InterruptedException {
        return call("registration", h -> h.register(registration, timeout));
    }

    @Override
    public boolean heartbeat(HubLease lease, Heartbeat heartbeat, Duration timeout)
            throws IOException, InterruptedException {
        return call("heartbeat", h -> h.heartbeat(lease, heartbeat, timeout));
    }

    @Override
    public void deregister(HubLease lease, Duration timeout) throws IOException, InterruptedException {
        call("deregistration", h -> {
            h.deregister(lease, timeout);
            return null;
        });
    }

    private <T> T call(String what, Call<T> call) throws IOException, InterruptedException {
        int start = current.get();
        IOException failure = null;
        for (int i = 0; i < hubs.size(); i++) {
            int index = (start + i) % hubs.size();
            HubTransport hub = hubs.get(index);
            try {
                T result = call.on(hub);
                if (index != start && current.compareAndSet(start, index)) {
                    log.warn("hub {} failed ({}); {} and later calls go to hub {}", hubs.get(start).uri(),
                            failure == null ? "?" : failure.toString(), what, hub.uri());
                }
                return result;
            } catch (HubRefusedException e) {
                throw e;
            } catch (IOException e) {
                log.debug("{} on hub {} failed: {}", what, hub.uri(), e.toString());
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    @Override
    public void close() {
        for (HubTransport hub : hubs) {
            try {
                hub.close();
            } catch (RuntimeException e) {
                log.debug("closing hub transport {} failed: {}", hub.uri(), e.toString());
            }
        }
    }
}
