package io.suho.client.postgres.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code withTimeout} view's budget applied to one borrowed connection: the socket read timeout becomes the
 * attempt's budget (Hikari restores the pool's value when the connection is returned) and the session's
 * {@code statement_timeout} the budget less {@link CallTimeouts#margin}, so the server cancels a slow statement
 * before the socket gives up; {@code RESET} afterwards returns the session to the value the pool connected with. A
 * connection whose reset fails is evicted from its pool, never handed out again with a foreign timeout.
 */
final class ViewTimeout {
    private static final Logger log = LoggerFactory.getLogger(ViewTimeout.class);
    private static final Executor DIRECT = Runnable::run;
    static final Duration MAX = Duration.ofHours(1);

    private ViewTimeout() {
    }

    static Duration check(Duration timeout) {
        if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("withTimeout: the timeout must be between 1ms and 1h, was " + timeout);
        }
        return timeout;
    }

    /** Runs {@code work} on {@code c} under {@code budget} (what is left of the call's budget for this attempt). */
    static <T> T run(Connection c, HikariDataSource pool, Duration budget, JdbcPostgresClient.ConnectionWork<T> work)
            throws Exception {
        long budgetMillis = Math.max(1, budget.toMillis());
        long statementMillis = Math.max(1, budgetMillis - CallTimeouts.margin(budget).toMillis());
        c.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, budgetMillis));
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = " + statementMillis);
        }
        T result;
        try {
            result = work.apply(c);
        } catch (Exception | Error e) {
            resetOrEvict(c, pool);
            throw e;
        }
        resetOrEvict(c, pool); // the call's outcome stands even if only the reset fails
        return result;
    }

    private static void resetOrEvict(Connection c, HikariDataSource pool) {
        try {
            reset(c);
        } catch (SQLException | RuntimeException e) {
            log.debug("could not reset statement_timeout, evicting the connection: {}", e.toString());
            pool.evictConnection(c); // closed when returned, never handed out again
        }
    }

    /** Back to the session default (the pool's {@code statement_timeout}); ends a transaction left open first. */
    private static void reset(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback(); // what the pool would do on return; the RESET must not be rolled back with it
            c.setAutoCommit(true);
        }
        try (Statement s = c.createStatement()) {
            s.execute("RESET statement_timeout");
        }
    }
}
