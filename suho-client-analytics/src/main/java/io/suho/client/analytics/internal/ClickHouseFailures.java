package io.suho.client.analytics.internal;

import com.clickhouse.client.api.ClickHouseException;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import io.suho.client.analytics.AnalyticsQueryException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.HttpFailures;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analytics module's {@link FailurePolicy}: reads client-v2 failures and ClickHouse error codes.
 *
 * <ul>
 *   <li>UNAVAILABLE (not run): connection refused, unknown host, connect or pool-wait timeout (client-v2's
 *       {@link ConnectionInitiationException}), HTTP 502/503 from a proxy, and server codes that refuse a call before
 *       running it (too many queries, read-only, too many parts, total memory, Keeper).</li>
 *   <li>TIMEOUT (outcome unknown): socket/read timeouts, a connection lost mid-request (reset, no HTTP response,
 *       truncated body), HTTP 504, server codes 3/32/209/210/319.</li>
 *   <li>SERVER_TIMEOUT: 159 {@code TIMEOUT_EXCEEDED} and 160 {@code TOO_SLOW}, the server's own
 *       {@code max_execution_time} — it answered, so the breaker does not count it.</li>
 *   <li>OPERATION_ERROR: every other ClickHouse code (62 syntax, 60 unknown table, 47 unknown identifier, 27/26/6
 *       cannot parse, 117 unknown field, per-query limits such as 158 or 241 "for query"), as
 *       {@link AnalyticsQueryException} carrying the code.</li>
 *   <li>CALLER_CODE: a row mapper's exception ({@link CallerError}).</li>
 * </ul>
 *
 * 18.16 puts its code only in the message text ({@code Code: 62, e.displayText() = …}), so the code is read from there
 * when {@link ServerException#getCode()} is 0. Thread-safe, stateless.
 */
final class ClickHouseFailures implements FailurePolicy {
    static final ClickHouseFailures POLICY = new ClickHouseFailures();

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
    private static final String NO_RESPONSE = "org.apache.hc.core5.http.NoHttpResponseException";
    /** client-v2 turns 502/503 into "Server returned '503 …'", other odd statuses into "Unexpected result status". */
    private static final Pattern STATUS = Pattern.compile("(?:Server returned '|Unexpected result status )(\\d{3})");
    private static final String CREDENTIALS = StoreKeys.user(Store.ANALYTICS) + " and "
            + StoreKeys.password(Store.ANALYTICS);

    /** The server refused the call before running it: nothing was applied, and the server is the problem. */
    private static final Set<Integer> REFUSED = Set.of(
            164, // READONLY
            202, // TOO_MANY_SIMULTANEOUS_QUERIES
            236, // ABORTED
            242, // TABLE_IS_READ_ONLY
            252, // TOO_MANY_PARTS
            285, // TOO_FEW_LIVE_REPLICAS
            394, // QUERY_WAS_CANCELLED (a stopping server cancels what runs)
            425, // SYSTEM_ERROR
            999, // KEEPER_EXCEPTION
            1002); // UNKNOWN_EXCEPTION
    /** The server lost a connection mid-call, or says itself it does not know whether an insert landed. */
    private static final Set<Integer> MAYBE_APPLIED = Set.of(
            3, // UNEXPECTED_END_OF_FILE
            32, // ATTEMPT_TO_READ_AFTER_EOF
            209, // SOCKET_TIMEOUT
            210, // NETWORK_ERROR
            319); // UNKNOWN_STATUS_OF_INSERT
    private static final Set<Integer> TIME_LIMIT = Set.of(159, 160); // TIMEOUT_EXCEEDED, TOO_SLOW
    private static final Set<Integer> AUTH = Set.of(192, 193, 194, 516); // unknown user, wrong/required password

    private ClickHouseFailures() {
    }

    @Override
    public Failure classify(Throwable failure) {
        if (failure instanceof CallerError) {
            return Failure.of(FailureKind.CALLER_CODE, failure.getCause());
        }
        ServerException se = Causes.find(failure, ServerException.class);
        if (se != null) {
            return server(se);
        }
        // client-v2 files a request that got no response under "connection initiation"; it was sent
        if (Causes.find(failure, t -> t.getClass().getName().equals(NO_RESPONSE)) != null) {
            return Failure.of(FailureKind.TIMEOUT, failure);
        }
        Throwable status = Causes.find(failure, t -> t.getMessage() != null && STATUS.matcher(t.getMessage()).find());
        if (status != null) {
            Matcher m = STATUS.matcher(status.getMessage());
            m.find();
            return HttpFailures.of(Integer.parseInt(m.group(1)), Causes.describe(failure), CREDENTIALS);
        }
        if (Causes.has(failure, ConnectionInitiationException.class)) {
            return Failure.of(FailureKind.UNAVAILABLE, failure); // refused, connect or pool-wait timeout, DNS
        }
        Failure generic = FailurePolicy.generic(failure);
        if (generic.kind() == FailureKind.CALLER_CODE && Causes.has(failure, ClickHouseException.class)) {
            return Failure.of(FailureKind.OPERATION_ERROR, failure); // the driver's own, not the caller's
        }
        return generic;
    }

    private static Failure server(ServerException se) {
        int code = serverCode(se);
        String detail = firstLine(se);
        if (code == 0) {
            int http = se.getTransportProtocolCode();
            return http > 0 ? HttpFailures.of(http, detail, CREDENTIALS)
                    : new Failure(FailureKind.OPERATION_ERROR, null, detail, null);
        }
        FailureKind kind;
        if (TIME_LIMIT.contains(code)) {
            kind = FailureKind.SERVER_TIMEOUT;
        } else if (MAYBE_APPLIED.contains(code)) {
            kind = FailureKind.TIMEOUT;
        } else if (REFUSED.contains(code) || (code == 241 && detail.contains("(total)"))) {
            kind = FailureKind.UNAVAILABLE; // 241 "for query" is this query's own limit: an operation error
        } else {
            kind = FailureKind.OPERATION_ERROR;
        }
        Failure f = new Failure(kind, Integer.toString(code), detail, null);
        if (AUTH.contains(code)) {
            return f.withHint("check " + CREDENTIALS);
        }
        return code == 81 ? f.withHint("check " + StoreKeys.database(Store.ANALYTICS)) : f; // UNKNOWN_DATABASE
    }

    /** An {@link AnalyticsQueryException} with ClickHouse's code (0 for an HTTP error without one, e.g. a proxy's). */
    @Override
    public StoreOperationException operationError(String operation, Failure failure, Throwable cause) {
        ServerException se = Causes.find(cause, ServerException.class);
        String message = failure.hint() == null ? failure.detail() : failure.detail() + "; " + failure.hint();
        return new AnalyticsQueryException(operation, se == null ? 0 : serverCode(se), message, cause);
    }

    /** The ClickHouse error code of a server answer, or 0 (an HTTP error without one, from a proxy). */
    static int serverCode(ServerException se) {
        if (se.getCode() > 0) {
            return se.getCode();
        }
        Matcher m = CODE.matcher(String.valueOf(se.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
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

    /**
     * Marks an exception thrown by a caller's row mapper inside a store call, so the policy passes it through
     * (a mapper's {@code IOException} must not look like a lost connection); the client unwraps it again.
     */
    static final class CallerError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallerError(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }

        /** What the caller sees: the mapper's own exception, or a checked one as an operation error. */
        RuntimeException unwrap(String operation) {
            Throwable c = getCause();
            if (c instanceof RuntimeException re) {
                return re;
            }
            return new AnalyticsQueryException(operation, 0, "the row mapper failed: " + c, c);
        }
    }
}
