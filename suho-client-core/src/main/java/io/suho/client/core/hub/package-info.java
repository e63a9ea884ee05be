/**
 * The SDK's side of the hub: the wire records the SDK and the hub share for the hub's {@code /v1} API, so both
 * sides read and write one definition of each body ({@link io.suho.client.core.hub.Heartbeat}), and the transport
 * SPI ({@link io.suho.client.core.hub.HubTransport}, {@link io.suho.client.core.hub.HubTransportProvider}) through
 * which the SDK talks to hubs over HTTP (built in) or another protocol (e.g. gRPC from {@code io.suho:suho-hub-grpc}).
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.core.hub;

import org.jspecify.annotations.NullMarked;
