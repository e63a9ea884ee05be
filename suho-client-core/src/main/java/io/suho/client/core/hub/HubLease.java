package io.suho.client.core.hub;

import io.suho.client.core.Secret;
import org.jspecify.annotations.Nullable;

/**
 * What a registration returns: the instance id and the lease secret its heartbeats and deregistration present. On
 * hubs that share one registry (NATS KV), a lease one hub issued is valid on every other. Immutable.
 *
 * @param instanceId the hub-assigned id
 * @param secret the lease secret, or {@code null} from a hub of an older release that issued none (the write token
 *     is presented instead)
 */
public record HubLease(String instanceId, @Nullable Secret secret) {
}
