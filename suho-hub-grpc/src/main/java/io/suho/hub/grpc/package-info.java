/**
 * The optional gRPC hub transport of the SDK ({@link io.suho.hub.grpc.GrpcHubTransportProvider}, selected with
 * {@code suho.hub.transport=grpc}). Adding {@code io.suho:suho-hub-grpc} brings grpc-java (with its own shaded
 * Netty) and the {@code suho-hub-api} messages; services without it keep the HTTP transport and none of these.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.hub.grpc;

import org.jspecify.annotations.NullMarked;
