package io.suho.client.core.hub;

import java.util.Map;

/**
 * What one service instance registers with the hub ({@code POST /v1/instances}). Immutable.
 *
 * @param service the service name, e.g. {@code order-service}
 * @param host the host the instance is reachable at
 * @param port its port, 0 for none
 * @param ttlSeconds the lease the instance asks for; heartbeats renew it
 * @param meta free-form labels (copied)
 */
public record HubRegistration(String service, String host, int port, int ttlSeconds, Map<String, String> meta) {
    /** Copies {@code meta}. */
    public HubRegistration {
        meta = Map.copyOf(meta);
    }
}
