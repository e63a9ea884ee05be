package io.suho.client.postgres.internal;

import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoException;
import io.suho.client.postgres.PostgresException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Decides what a PostgreSQL failure means for retries and the breaker, and what the caller sees. Only exceptions
 * coming from the driver or the pool are inspected; anything thrown by caller code is a caller error.
 */
public final class PostgresFailures {
    private PostgresFailures() {
    }

    /** The classifier registered with the store's executor. */
    public static FailureKind classify(Throwable failure) {
        if (failure instanceof StoreUnavailableException || failure instanceof PrimaryDown.Rejection) {
            return FailureKind.UNAVAILABLE;
        }
        if (!(failure instanceof SQLException sql)) {
            return FailureKind.CALLER_ERROR;
        }
        if (hasCause(sql, SocketTimeoutException.class)) {
            return FailureKind.TIMEOUT;
        }
        if (sql instanceof SQLTransientConnectionException) {
            // Hikari's "connection is not available": a wrong database or login is a caller (config) error.
            SQLException cause = nestedSql(sql);
            if (cause != null && isLoginError(cause.getSQLState())) {
                return FailureKind.CALLER_ERROR;
            }
            return FailureKind.UNAVAILABLE;
        }
        String state = sql.getSQLState();
        if (state == null) {
            return isClosedPool(sql) || hasCause(sql, IOException.class) ? FailureKind.UNAVAILABLE
                    : FailureKind.CALLER_ERROR;
        }
        if (state.startsWith("08")) {
            return hasCause(sql, SocketTimeoutException.class) ? FailureKind.TIMEOUT : FailureKind.UNAVAILABLE;
        }
        return switch (state) {
            // admin/crash shutdown, cannot connect now, too many connections, read-only (a demoted primary)
            case "57P01", "57P02", "57P03", "53300", "25006" -> FailureKind.UNAVAILABLE;
            // statement_timeout fired on the server: the per-call timeout
            case "57014" -> FailureKind.TIMEOUT;
            default -> FailureKind.CALLER_ERROR;
        };
    }

    /** True when the failure means the primary may have moved (connection lost, read-only, shutting down). */
    static boolean primaryLost(SQLException e) {
        FailureKind k = classify(e);
        return k == FailureKind.UNAVAILABLE || k == FailureKind.TIMEOUT && !"57014".equals(e.getSQLState());
    }

    /** The translator registered with the store's executor. */
    public static RuntimeException translate(String operation, Throwable failure, FailureKind kind,
            ResilienceConfig config) {
        if (failure instanceof SuhoException s) {
            return s;
        }
        if (failure instanceof PrimaryDown.Rejection r) {
            return r.down().unavailable(operation, r); // the known-down refusal: no formatting, no stack walk
        }
        if (kind == FailureKind.CALLER_ERROR && failure instanceof RuntimeException re
                && !(failure instanceof IllegalStateException && failure.getCause() instanceof SQLException)) {
            return re; // thrown by caller code inside a transaction or row mapper: theirs, unchanged
        }
        SQLException sql = failure instanceof SQLException s ? s : null;
        String state = sql == null ? null : sqlState(sql);
        String message = describe(failure);
        return switch (kind) {
            case UNAVAILABLE -> new StoreUnavailableException(Store.POSTGRES,
                    operation + " failed" + (state == null ? "" : " [" + state + "]") + ": " + message, false, failure);
            case TIMEOUT -> new StoreUnavailableException(Store.POSTGRES, operation + " timed out after "
                    + config.timeout().toMillis() + " ms" + " (outcome unknown)"
                    + (state == null ? "" : " [" + state + "]") + ": " + message, false, failure);
            case CALLER_ERROR -> new PostgresException(operation, state, message, failure);
        };
    }

    /** Translates a failure seen inside an open transaction (statements there run outside the executor). */
    static RuntimeException inTransaction(String operation, SQLException e, ResilienceConfig config) {
        return translate(operation, e, classify(e), config);
    }

    private static String sqlState(SQLException e) {
        if (e.getSQLState() != null) {
            return e.getSQLState();
        }
        SQLException nested = nestedSql(e);
        return nested == null ? null : nested.getSQLState();
    }

    /** The driver's message (never contains the password: PgJDBC and Hikari do not print it). */
    static String describe(Throwable failure) {
        String m = failure.getMessage();
        String text = m == null ? failure.getClass().getSimpleName() : m;
        if (failure instanceof SQLTransientConnectionException && failure.getCause() != null
                && failure.getCause().getMessage() != null) {
            text = text + " (last connection error: " + failure.getCause().getMessage() + ")";
        }
        return text;
    }

    static boolean isLoginError(String state) {
        return state != null && (state.startsWith("28") || state.equals("3D000"));
    }

    private static boolean isClosedPool(SQLException e) {
        String m = e.getMessage();
        return m != null && m.contains("has been closed");
    }

    private static SQLException nestedSql(Throwable e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static boolean isRetryableConflict(String sqlState) {
        return "40001".equals(sqlState) || "40P01".equals(sqlState);
    }

}
