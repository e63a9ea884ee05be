package io.suho.client.analytics.internal;

import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import io.suho.client.analytics.AnalyticsQueryException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies client-v2 failures for the breaker and retries, and turns them into SDK exceptions.
 *
 * <ul>
 *   <li>UNAVAILABLE: connection refused/reset, no HTTP response, unknown host, HTTP 502/503/504 without a
 *       ClickHouse error, and server codes that mean "busy or broken, not your call" (too many queries or parts,
 *       memory limit, read-only table, network errors between replicas, Keeper).</li>
 *   <li>TIMEOUT: socket/read/connect timeouts, server codes 159 (execution time exceeded), 209 (socket timeout) and
 *       319 (unknown status of insert).</li>
 *   <li>CALLER_ERROR: every other ClickHouse error code (syntax 62, unknown table 60, unknown identifier 47, cannot
 *       parse 27/26/6/38, unknown field 117, type mismatch 53, …) and mapper/encoder exceptions: never retried, and
 *       reported as {@link AnalyticsQueryException} carrying the code.</li>
 * </ul>
 *
 * The 18.16 server puts its code only in the message text ({@code Code: 62, e.displayText() = …}), so the code is
 * read from there when {@link ServerException#getCode()} is 0.
 */
public final class ClickHouseFailures {
    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
    private static final Pattern TRANSPORT = Pattern.compile("transport error: (\\d+)");

    /** Codes that say the server (not the statement) is the problem. */
    private static final Set<Integer> UNAVAILABLE_CODES = Set.of(
            3, // UNEXPECTED_END_OF_FILE (connection cut mid-stream)
            32, // ATTEMPT_TO_READ_AFTER_EOF
            164, // READONLY (server in read-only mode)
            202, // TOO_MANY_SIMULTANEOUS_QUERIES
            210, // NETWORK_ERROR
            236, // ABORTED
            241, // MEMORY_LIMIT_EXCEEDED
            242, // TABLE_IS_READ_ONLY
            252, // TOO_MANY_PARTS
            285, // TOO_FEW_LIVE_REPLICAS
            394, // QUERY_WAS_CANCELLED
            425, // SYSTEM_ERROR
            999, // KEEPER_EXCEPTION
            1002); // UNKNOWN_EXCEPTION
    private static final Set<Integer> TIMEOUT_CODES = Set.of(159, 209, 319);

    private ClickHouseFailures() {
    }

    /** The ClickHouse error code in a failure chain, or 0. */
    public static int serverCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ServerException se) {
                if (se.getCode() > 0) {
                    return se.getCode();
                }
                Matcher m = CODE.matcher(String.valueOf(se.getMessage()));
                return m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return 0;
    }

    public static FailureKind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CallerError) {
                return FailureKind.CALLER_ERROR;
            }
            if (t instanceof StoreUnavailableException) {
                return FailureKind.UNAVAILABLE;
            }
            if (t instanceof ServerException se) {
                int code = serverCode(se);
                if (TIMEOUT_CODES.contains(code)) {
                    return FailureKind.TIMEOUT;
                }
                if (UNAVAILABLE_CODES.contains(code)) {
                    return FailureKind.UNAVAILABLE;
                }
                if (code == 0) {
                    int http = httpStatus(se);
                    return http >= 500 || http == 0 ? FailureKind.UNAVAILABLE : FailureKind.CALLER_ERROR;
                }
                return FailureKind.CALLER_ERROR;
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof java.net.http.HttpTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return FailureKind.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof ConnectionInitiationException
                    || t instanceof SocketException
                    || t.getClass().getName().equals("org.apache.hc.core5.http.NoHttpResponseException")
                    || t.getClass().getName().equals("org.apache.hc.core5.http.ConnectionClosedException")) {
                return FailureKind.UNAVAILABLE;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        // IO trouble without a recognisable cause: the server is the likelier culprit.
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof com.clickhouse.client.api.ClickHouseException) {
                return FailureKind.UNAVAILABLE;
            }
        }
        return FailureKind.CALLER_ERROR;
    }

    private static int httpStatus(ServerException se) {
        if (se.getTransportProtocolCode() > 0) {
            return se.getTransportProtocolCode();
        }
        Matcher m = TRANSPORT.matcher(String.valueOf(se.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Turns a failure into what the caller sees. */
    public static RuntimeException translate(String operation, Throwable failure, FailureKind kind) {
        Throwable cause = failure instanceof CallerError ce && ce.getCause() != null ? ce.getCause() : failure;
        return switch (kind) {
            case CALLER_ERROR -> {
                if (cause instanceof RuntimeException re && cause instanceof io.suho.client.core.SuhoException) {
                    yield re;
                }
                yield new AnalyticsQueryException(operation, serverCode(cause), firstLine(cause), cause);
            }
            case TIMEOUT -> new StoreUnavailableException(Store.ANALYTICS, operation
                    + " timed out (outcome unknown): " + withRootCause(cause), false, cause);
            case UNAVAILABLE -> new StoreUnavailableException(Store.ANALYTICS, operation + " failed: "
                    + withRootCause(cause), false, cause);
        };
    }

    /**
     * The failure's first line plus its root cause's, when that says something more: client-v2 wraps "Connection
     * refused" or "Read timed out" in a generic "Insert request failed (attempt: 1, …)".
     */
    static String withRootCause(Throwable t) {
        String top = firstLine(t);
        Throwable root = t;
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        if (root == t || root.getMessage() == null || top.contains(firstLine(root))) {
            return top;
        }
        return top + " (" + root.getClass().getSimpleName() + ": " + firstLine(root) + ")";
    }

    /** A server message trimmed to its first line and to a readable length (18.16 lists every grammar rule). */
    static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        if (nl > 0) {
            m = m.substring(0, nl);
        }
        int expected = m.indexOf(". Expected one of:");
        if (expected > 0) {
            m = m.substring(0, expected);
        }
        return m.length() > 500 ? m.substring(0, 500) + "…" : m;
    }

    /** Wraps an exception from user code (row mapper, sink) so it is never retried or counted. */
    public static final class CallerError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CallerError(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
