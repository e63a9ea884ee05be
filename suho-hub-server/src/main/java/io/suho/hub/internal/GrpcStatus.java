package io.suho.hub.internal;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The gRPC status of a refusal: the HTTP API's {@link ApiException} mapped to its gRPC code (400 → INVALID_ARGUMENT,
 * 401 → UNAUTHENTICATED, 403 → PERMISSION_DENIED, 404 → NOT_FOUND, 413 and 429 → RESOURCE_EXHAUSTED), its message as
 * the description and its error code ({@code registry_full}, {@code read_only}, …) in the trailer
 * {@value #ERROR_TRAILER}. Stateless.
 */
final class GrpcStatus {
    /** The trailer carrying the HTTP API's error code of a refusal. */
    static final String ERROR_TRAILER = "suho-error";
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of(ERROR_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

    private GrpcStatus() {
    }

    static StatusRuntimeException of(ApiException e) {
        Status status = switch (e.status()) {
            case 400, 415 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 405 -> Status.UNIMPLEMENTED;
            case 413, 429 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, e.code());
        return status.withDescription(e.getMessage()).asRuntimeException(trailers);
    }

    /** A bad field in a request: INVALID_ARGUMENT with {@code bad_request}, like the HTTP API's 400. */
    static StatusRuntimeException invalid(String message) {
        return of(ApiException.badRequest(message));
    }
}
