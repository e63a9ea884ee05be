package io.suho.client.core.hub;

import io.suho.client.core.EndpointCatalog;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One connection from the SDK to one hub, over one wire protocol: the endpoint catalog (once, and by waiting for a
 * change), instance registration, heartbeats and deregistration. The SDK ships the {@code http} transport (the
 * hub's {@code /v1} REST API); others plug in through a {@link HubTransportProvider} (e.g. {@code grpc} from the
 * optional {@code io.suho:suho-hub-grpc} module).
 *
 * <p>Failures are reported so the SDK can decide whether another hub may answer: a {@link HubRefusedException}
 * when the hub answered and refused the request (HTTP 4xx, a gRPC {@code INVALID_ARGUMENT},
 * {@code UNAUTHENTICATED}, {@code PERMISSION_DENIED}, ...: asking another hub would get the same answer), any other
 * {@link IOException} when the hub could not be reached or failed (connection refused, timeout, HTTP 5xx, gRPC
 * {@code UNAVAILABLE}): the SDK then moves to the next hub of {@code suho.hub.urls}. Every call is bounded by the
 * timeout it is given. Implementations are thread-safe: heartbeats, the endpoint watch and {@code close()} of the
 * SDK call one transport from different threads.
 */
public interface HubTransport extends AutoCloseable {

    /** The hub this transport talks to, for log lines and error messages. */
    URI uri();

    /**
     * The hub's current endpoint catalog.
     *
     * @throws HubRefusedException when the hub refuses the read (e.g. a missing or wrong read token)
     * @throws IOException when the hub cannot be reached, fails, or sends an invalid catalog
     */
    EndpointCatalog endpoints(Duration timeout) throws IOException, InterruptedException;

    /**
     * Waits up to {@code wait} for a catalog whose version differs from {@code version}: the new catalog, or empty
     * when the wait ended without a change. The call itself may take a few seconds longer than {@code wait}.
     *
     * @throws IOException as for {@link #endpoints(Duration)}
     */
    Optional<EndpointCatalog> awaitChange(long version, Duration wait) throws IOException, InterruptedException;

    /**
     * Registers one instance with the hub's write token and returns its lease.
     *
     * @throws HubRefusedException when the hub refuses the token or the registration (the message says why)
     */
    HubLease register(HubRegistration registration, Duration timeout) throws IOException, InterruptedException;

    /**
     * Renews {@code lease} and reports what the instance saw of its stores. Returns {@code false} when the hub does
     * not know the instance or refuses its lease secret (the lease expired, or a restarted single hub forgot it), so
     * the caller registers again. Hubs sharing one registry accept a lease any of them issued.
     */
    boolean heartbeat(HubLease lease, Heartbeat heartbeat, Duration timeout) throws IOException, InterruptedException;

    /** Removes the instance; an instance the hub no longer knows is not an error. */
    void deregister(HubLease lease, Duration timeout) throws IOException, InterruptedException;

    /** Releases connections and threads; calls after it fail. Never throws. */
    @Override
    void close();
}
