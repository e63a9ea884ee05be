package io.suho.client.vector.internal;

import io.grpc.StatusRuntimeException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.HttpFailures;
import io.weaviate.client6.v1.api.WeaviateApiException;
import io.weaviate.client6.v1.api.WeaviateConnectException;
import io.weaviate.client6.v1.api.WeaviateException;
import java.util.regex.Pattern;

/**
 * The vector failure policy: what a client6 failure means. HTTP answers go through core's {@link HttpFailures}; gRPC
 * statuses follow the same rule ({@code UNAVAILABLE}, {@code RESOURCE_EXHAUSTED}, {@code ABORTED}: not taken now;
 * {@code DEADLINE_EXCEEDED}: no answer in time; the rest: an answer about the call). A failure to open the client
 * (client6 talks to the server while it is built) or to connect means the call itself was not sent. Stateless;
 * thread-safe.
 *
 * <p>client6 parses an error body before it reports the status, so a proxy's HTML page arrives as a JSON parse error
 * without its status; either way something other than Weaviate answered, so it is UNAVAILABLE too.
 */
final class WeaviateFailures implements FailurePolicy {
    static final WeaviateFailures POLICY = new WeaviateFailures();

    private static final String CREDENTIALS = StoreKeys.password(Store.VECTOR) + " / WEAVIATE_API_KEY";
    /** Weaviate's 422 for an insert whose id exists; it has no error numbers, so its words are all there is. */
    private static final Pattern DUPLICATE_ID = Pattern.compile("^id '[^']*' already exists");

    private WeaviateFailures() {
    }

    @Override
    public Failure classify(Throwable failure) {
        WeaviateApiException api = Causes.find(failure, WeaviateApiException.class);
        if (api != null) {
            return api.isHTTP() ? http(api) : grpc(api.grpcStatusCode(), api);
        }
        StatusRuntimeException grpc = Causes.find(failure, StatusRuntimeException.class);
        if (grpc != null) {
            return grpc(grpc.getStatus().getCode().name(), grpc);
        }
        Throwable garbage = Causes.find(failure, WeaviateFailures::isMalformedJson);
        if (garbage != null) {
            return new Failure(FailureKind.UNAVAILABLE, "MALFORMED_RESPONSE",
                    "the answer is not Weaviate's JSON (a proxy in the way?): " + Causes.describe(garbage), null);
        }
        if (Causes.has(failure, WeaviateConnectException.class)
                || Causes.find(failure, WeaviateFailures::isConnectTimeout) != null) {
            return Failure.of(FailureKind.UNAVAILABLE, failure);
        }
        Failure f = FailurePolicy.generic(failure);
        // client6's own exceptions (transport, auth, unsupported version) are the store's answer, not the caller's code
        return f.kind() == FailureKind.CALLER_CODE && Causes.has(failure, WeaviateException.class)
                ? Failure.of(FailureKind.OPERATION_ERROR, failure) : f;
    }

    private static Failure http(WeaviateApiException api) {
        int status = api.httpStatusCode() == null ? 0 : api.httpStatusCode();
        if (status == 422 && api.getError() != null && DUPLICATE_ID.matcher(api.getError()).find()) {
            return new Failure(FailureKind.DUPLICATE_KEY, "422", api.getMessage(), null);
        }
        return HttpFailures.of(status, api.getMessage(), CREDENTIALS);
    }

    private static Failure grpc(String code, Throwable t) {
        FailureKind kind = switch (code) {
            case "UNAVAILABLE", "RESOURCE_EXHAUSTED", "ABORTED" -> FailureKind.UNAVAILABLE;
            case "DEADLINE_EXCEEDED" -> FailureKind.TIMEOUT;
            default -> FailureKind.OPERATION_ERROR;
        };
        Failure f = Failure.of(kind, code, t);
        return code.equals("UNAUTHENTICATED") || code.equals("PERMISSION_DENIED") ? f.withHint("check " + CREDENTIALS)
                : f;
    }

    /**
     * Apache HttpClient's connect timeout: an {@code InterruptedIOException}, which the JDK's view would take for an
     * unknown outcome, but no connection was made, so nothing was sent.
     */
    static boolean isConnectTimeout(Throwable t) {
        return t.getClass().getName().equals("org.apache.hc.client5.http.ConnectTimeoutException");
    }

    static boolean isMalformedJson(Throwable t) {
        return t instanceof com.google.gson.JsonParseException
                || t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("Expected BEGIN_");
    }
}
