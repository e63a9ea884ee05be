package io.suho.client.postgres.internal;

import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.postgres.PostgresException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The PostgreSQL failure policy: what a PgJDBC or HikariCP failure means, read from its SQLState. Only
 * {@link SQLException}s are read here; anything else (the caller's own code, a bare JDK exception) goes to
 * {@link FailurePolicy#generic}. Stateless; thread-safe.
 */
final class PostgresFailures implements FailurePolicy {
    static final PostgresFailures POLICY = new PostgresFailures();

    private static final String LOGIN_HINT = "check " + StoreKeys.user(Store.POSTGRES) + " and "
            + StoreKeys.password(Store.POSTGRES);
    private static final String DATABASE_HINT = "check " + StoreKeys.database(Store.POSTGRES);

    private PostgresFailures() {
    }

    @Override
    public Failure classify(Throwable failure) {
        if (!(failure instanceof SQLException sql)) {
            return FailurePolicy.generic(failure);
        }
        String state = sqlState(sql);
        Failure f = Failure.of(kind(sql, state), state, sql);
        if (state != null && state.startsWith("28")) {
            return f.withHint(LOGIN_HINT);
        }
        return "3D000".equals(state) ? f.withHint(DATABASE_HINT) : f;
    }

    /**
     * The kind alone, without building the detail: also read by the topology on every failed call.
     *
     * <p>57P01/57P02 (the server terminates the session: admin or crash shutdown), 57P03 (cannot connect now), 53300
     * (too many connections) and 25006 (read-only: a demoted primary) are UNAVAILABLE: the statement was refused or
     * its transaction rolled back, so nothing was applied, and the server is not serving us, so they count against
     * the breaker and an idempotent call may retry (on the new primary, after a failover).
     */
    static FailureKind kind(SQLException sql, String state) {
        if (isLogin(state)) {
            return FailureKind.OPERATION_ERROR; // a configuration error: the server answers, and says no
        }
        if (sql instanceof SQLTransientConnectionException || "08001".equals(state) || "08004".equals(state)) {
            return FailureKind.UNAVAILABLE; // no connection was obtained (pool timeout, refused): nothing was sent
        }
        if (Causes.has(sql, SocketTimeoutException.class)) {
            return FailureKind.TIMEOUT;
        }
        if (state == null) {
            String m = sql.getMessage();
            if (m != null && m.contains("has been closed")) {
                return FailureKind.UNAVAILABLE; // a pool closed by a failover: never reached the server
            }
            return Causes.has(sql, IOException.class) ? FailureKind.TIMEOUT : FailureKind.OPERATION_ERROR;
        }
        if (state.startsWith("08")) {
            return FailureKind.TIMEOUT; // the connection broke after the statement may have left
        }
        return switch (state) {
            case "57014" -> FailureKind.SERVER_TIMEOUT;
            case "23505" -> FailureKind.DUPLICATE_KEY;
            case "57P01", "57P02", "57P03", "53300", "25006" -> FailureKind.UNAVAILABLE;
            default -> FailureKind.OPERATION_ERROR;
        };
    }

    @Override
    public StoreOperationException operationError(String operation, Failure failure, Throwable cause) {
        String message = failure.hint() == null ? failure.detail() : failure.detail() + "; " + failure.hint();
        return new PostgresException(operation, failure.errorCode(), message, cause);
    }

    /** True when the failure means the primary may have moved or died (it counts against the breaker). */
    static boolean primaryLost(SQLException e) {
        return kind(e, sqlState(e)).storeFault();
    }

    static boolean isRetryableConflict(String sqlState) {
        return "40001".equals(sqlState) || "40P01".equals(sqlState);
    }

    private static boolean isLogin(String state) {
        return state != null && (state.startsWith("28") || state.equals("3D000"));
    }

    /** The failure's SQLState, or that of the driver failure it wraps (Hikari's pool timeout wraps the last one). */
    private static String sqlState(SQLException e) {
        if (e.getSQLState() != null) {
            return e.getSQLState();
        }
        SQLException nested = e.getCause() == null ? null : Causes.find(e.getCause(), SQLException.class);
        return nested == null ? null : nested.getSQLState();
    }
}
