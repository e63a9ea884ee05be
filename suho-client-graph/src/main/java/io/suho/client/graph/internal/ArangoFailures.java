package io.suho.client.graph.internal;

import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDBMultipleException;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor.ExceptionTranslator;
import io.suho.client.core.StoreExecutor.FailureClassifier;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Decides what an ArangoDB driver failure means for retries and the breaker, and what the caller sees.
 *
 * <ul>
 *   <li>TIMEOUT: the driver's request timeout ({@link TimeoutException} inside {@link ArangoDBException}), HTTP 408
 *       and 504.</li>
 *   <li>UNAVAILABLE: no host could be contacted, the connection broke, HTTP 503 (ArangoDB's "unavailable") and other
 *       5xx except 501, and a response that is not JSON (a proxy or captive page in the way: the path to ArangoDB
 *       is broken).</li>
 *   <li>CALLER_ERROR: ArangoDB answered about the request (4xx: bad AQL, unique constraint, not found, forbidden)
 *       or a document cannot be mapped to or from the caller's type.</li>
 * </ul>
 * The error code handed on is ArangoDB's {@code errorNum} ({@code 1210}, {@code 1501}, …), else {@code HTTP_<status>}.
 */
public final class ArangoFailures implements FailureClassifier, ExceptionTranslator {
    private final ResilienceConfig resilience;

    public ArangoFailures(ResilienceConfig resilience) {
        this.resilience = resilience;
    }

    @Override
    public FailureKind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DocumentMappingException) {
                return FailureKind.CALLER_ERROR;
            }
            if (t instanceof MalformedResponseException) {
                return FailureKind.UNAVAILABLE;
            }
            if (t instanceof ArangoDBException a && a.getResponseCode() != null) {
                return status(a.getResponseCode());
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return FailureKind.TIMEOUT;
            }
            if (t instanceof IOException || t instanceof ArangoDBMultipleException) {
                return FailureKind.UNAVAILABLE;
            }
            if (t instanceof ArangoDBException a && a.getMessage() != null
                    && a.getMessage().startsWith("Cannot contact any host")) {
                return FailureKind.UNAVAILABLE;
            }
        }
        return FailureKind.CALLER_ERROR;
    }

    static FailureKind status(int code) {
        if (code == 408 || code == 504) {
            return FailureKind.TIMEOUT;
        }
        if (code >= 500 && code != 501) {
            return FailureKind.UNAVAILABLE;
        }
        return FailureKind.CALLER_ERROR;
    }

    /** Jackson parse errors, from our mapper or the driver's shaded one, recognised by class name. */
    static boolean isJsonError(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getSimpleName().equals("JsonProcessingException")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public RuntimeException translate(String operation, Throwable failure, FailureKind kind) {
        String detail = "MALFORMED_RESPONSE".equals(errorCode(failure))
                ? "the answer is not ArangoDB's JSON (a proxy in the way?): " + describe(failure)
                : describe(failure);
        return switch (kind) {
            case TIMEOUT -> new StoreUnavailableException(Store.GRAPH, operation + " timed out after "
                    + resilience.timeout().toMillis() + "ms (outcome unknown): " + detail, false, failure);
            case UNAVAILABLE -> new StoreUnavailableException(Store.GRAPH, operation + " failed: " + detail, false,
                    failure);
            case CALLER_ERROR -> new StoreOperationException(Store.GRAPH, operation, errorCode(failure),
                    hint(failure, detail), failure);
        };
    }

    /** ArangoDB's errorNum, {@code HTTP_<status>}, {@code MALFORMED_RESPONSE}, {@code MAPPING}, or null. */
    public static String errorCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DocumentMappingException) {
                return "MAPPING";
            }
            if (t instanceof MalformedResponseException) {
                return "MALFORMED_RESPONSE";
            }
            if (t instanceof ArangoDBException a && (a.getErrorNum() != null || a.getResponseCode() != null)) {
                return a.getErrorNum() != null ? a.getErrorNum().toString() : "HTTP_" + a.getResponseCode();
            }
            if (isJsonError(t)) {
                return "MALFORMED_RESPONSE";
            }
        }
        return null;
    }

    /** ArangoDB's errorNum of a failure, or null. */
    public static Integer errorNum(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ArangoDBException a && a.getErrorNum() != null) {
                return a.getErrorNum();
            }
        }
        return null;
    }

    private static String hint(Throwable failure, String detail) {
        String code = errorCode(failure);
        if ("11".equals(code) || "HTTP_401".equals(code)) {
            return detail + " (check suho.graph.user / suho.graph.password, i.e. ARANGO_USER / ARANGO_PASSWORD)";
        }
        return detail;
    }

    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ArangoDBException a && a.getErrorMessage() != null) {
                return a.getErrorMessage();
            }
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            Throwable c = t.getCause();
            return c == null || c == t ? t.getClass().getSimpleName() : describe(c);
        }
        return m.length() > 500 ? m.substring(0, 500) + "…" : m;
    }
}
