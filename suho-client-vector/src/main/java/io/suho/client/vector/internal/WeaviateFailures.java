package io.suho.client.vector.internal;

import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor.ExceptionTranslator;
import io.suho.client.core.StoreExecutor.FailureClassifier;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import io.weaviate.client6.v1.api.WeaviateApiException;
import io.weaviate.client6.v1.api.WeaviateConnectException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Decides what a Weaviate client failure means for retries and the breaker, and what the caller sees.
 *
 * <ul>
 *   <li>TIMEOUT: a socket/response timeout, a gRPC {@code DEADLINE_EXCEEDED}, HTTP 408/504.</li>
 *   <li>UNAVAILABLE: connection refused or dropped, {@link WeaviateConnectException}, gRPC {@code UNAVAILABLE} /
 *       {@code RESOURCE_EXHAUSTED} / {@code ABORTED}, HTTP 429 and 5xx other than 501, and a response body that is
 *       not Weaviate's JSON: client6 parses error bodies before it reports the status, so a proxy's HTML 502 page
 *       arrives as a JSON error, and either way the path to Weaviate is broken.</li>
 *   <li>CALLER_ERROR: everything the server answered about the request itself (4xx, invalid filters, auth) and an
 *       unsupported server version (retrying would get the same answer).</li>
 * </ul>
 * Messages carry the operation, status and server text only; the API key is never part of a driver message.
 */
public final class WeaviateFailures implements FailureClassifier, ExceptionTranslator {
    private final ResilienceConfig resilience;

    public WeaviateFailures(ResilienceConfig resilience) {
        this.resilience = resilience;
    }

    @Override
    public FailureKind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WeaviateApiException api) {
                return api.isHTTP() ? http(api.httpStatusCode()) : grpc(api.grpcStatusCode());
            }
            if (t instanceof io.grpc.StatusRuntimeException s) {
                return grpc(s.getStatus().getCode().name());
            }
            if (t instanceof WeaviateConnectException || isMalformedJson(t)) {
                return FailureKind.UNAVAILABLE;
            }
            if (t instanceof TimeoutException || t instanceof HttpTimeoutException
                    || t instanceof InterruptedIOException) {
                return FailureKind.TIMEOUT;
            }
            if (t instanceof IOException) {
                return FailureKind.UNAVAILABLE;
            }
        }
        return FailureKind.CALLER_ERROR;
    }

    static FailureKind http(Integer status) {
        if (status == null) {
            return FailureKind.CALLER_ERROR;
        }
        if (status == 408 || status == 504) {
            return FailureKind.TIMEOUT;
        }
        if (status == 429 || (status >= 500 && status != 501)) {
            return FailureKind.UNAVAILABLE;
        }
        return FailureKind.CALLER_ERROR;
    }

    static FailureKind grpc(String code) {
        if (code == null) {
            return FailureKind.CALLER_ERROR;
        }
        return switch (code) {
            case "DEADLINE_EXCEEDED" -> FailureKind.TIMEOUT;
            case "UNAVAILABLE", "RESOURCE_EXHAUSTED", "ABORTED" -> FailureKind.UNAVAILABLE;
            default -> FailureKind.CALLER_ERROR;
        };
    }

    @Override
    public RuntimeException translate(String operation, Throwable failure, FailureKind kind) {
        String detail = "MALFORMED_RESPONSE".equals(errorCode(failure))
                ? "the answer is not Weaviate's JSON (a proxy in the way?): " + describe(failure)
                : describe(failure);
        return switch (kind) {
            case TIMEOUT -> new StoreUnavailableException(Store.VECTOR, operation + " timed out after "
                    + resilience.timeout().toMillis() + "ms (outcome unknown): " + detail, false, failure);
            case UNAVAILABLE -> new StoreUnavailableException(Store.VECTOR, operation + " failed: " + detail, false,
                    failure);
            case CALLER_ERROR -> new StoreOperationException(Store.VECTOR, operation, errorCode(failure),
                    hint(failure, detail), failure);
        };
    }

    /** {@code HTTP_404}, the gRPC status name, {@code MALFORMED_RESPONSE}, or null. */
    static String errorCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WeaviateApiException api) {
                return api.isHTTP() ? "HTTP_" + api.httpStatusCode() : api.grpcStatusCode();
            }
            if (isMalformedJson(t)) {
                return "MALFORMED_RESPONSE";
            }
        }
        return null;
    }

    static boolean isMalformedJson(Throwable t) {
        return t instanceof com.google.gson.JsonParseException || t instanceof IllegalStateException
                && String.valueOf(t.getMessage()).contains("Expected BEGIN_");
    }

    private static String hint(Throwable failure, String detail) {
        String code = errorCode(failure);
        if ("HTTP_401".equals(code) || "UNAUTHENTICATED".equals(code)) {
            return detail + " (check the API key in suho.vector.password / WEAVIATE_API_KEY)";
        }
        return detail;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        String name = t.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            Throwable c = t.getCause();
            return c == null || c == t ? name : name + ": " + describe(c);
        }
        return m.length() > 500 ? m.substring(0, 500) + "…" : m;
    }
}
