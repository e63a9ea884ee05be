package io.suho.client.postgres.internal;

import io.suho.client.core.StoreExecutor;
import io.suho.client.core.SuhoException;
import io.suho.client.postgres.Isolation;
import io.suho.client.postgres.Outbox;
import io.suho.client.postgres.PostgresClient;
import io.suho.client.postgres.PostgresException;
import io.suho.client.postgres.RowMapper;
import io.suho.client.postgres.TimeSeries;
import io.suho.client.postgres.TransactionWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PostgresClient}: plain JDBC on the topology's pools, every call through the store's executor.
 * {@link #reading()} and {@link #named(String)} return cheap views sharing the same pools. Thread-safe.
 */
final class JdbcPostgresClient implements PostgresClient {
    private static final Logger log = LoggerFactory.getLogger(JdbcPostgresClient.class);

    private final PostgresShared shared;
    private final boolean reading;
    private final String operation;
    /** Created on first use: {@link #named(String)} views are made per call and should cost next to nothing. */
    private volatile JdbcTimeSeries timeSeries;

    JdbcPostgresClient(PostgresShared shared, boolean reading, String operation) {
        this.shared = shared;
        this.reading = reading;
        this.operation = operation;
    }

    private StoreExecutor executor() {
        return shared.executor();
    }

    private String op(String verb) {
        return operation != null ? operation : verb;
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return select(sql, mapper, Statements.params(params), Integer.MAX_VALUE);
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = select(sql, mapper, Statements.params(params), 1);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    private <T> List<T> select(String sql, RowMapper<T> mapper, Object[] params, int limit) {
        Statements.requireSql(sql);
        Statements.nonNull(mapper, "mapper");
        String verb = Statements.verb(sql);
        Topology topology = shared.topology();
        boolean read = Statements.isRead(verb);
        RetryWindow window = read ? retryWindow() : null;
        return executor().call(op(verb), read, () -> {
            if (window != null) {
                window.beforeAttempt();
            }
            Topology.Target t = reading && read ? topology.readTarget() : topology.primary();
            try (Connection c = topology.connection(t)) {
                List<T> rows = runQuery(c, sql, mapper, params, limit);
                topology.succeeded();
                return rows;
            } catch (SQLException e) {
                topology.failed(t, e);
                throw window != null ? window.failed(e) : e;
            }
        });
    }

    static <T> List<T> runQuery(Connection c, String sql, RowMapper<T> mapper, Object[] params, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Statements.bind(ps, params);
            if (limit == 1) {
                ps.setMaxRows(1);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = JdbcTransaction.newList(limit);
                while (rs.next()) {
                    out.add(mapper.map(rs));
                    if (out.size() >= limit) {
                        break;
                    }
                }
                return out;
            }
        }
    }

    @Override
    public int update(String sql, Object... params) {
        Statements.requireSql(sql);
        Object[] p = Statements.params(params);
        Topology topology = shared.topology();
        return executor().call(op(Statements.verb(sql)), false, () -> {
            Topology.Target t = topology.primary();
            try (Connection c = topology.connection(t); PreparedStatement ps = c.prepareStatement(sql)) {
                Statements.bind(ps, p);
                int n = ps.executeUpdate();
                topology.succeeded();
                return n;
            } catch (SQLException e) {
                topology.failed(t, e);
                throw e;
            }
        });
    }

    @Override
    public int[] batch(String sql, List<Object[]> rows) {
        Statements.requireSql(sql);
        Statements.nonNull(rows, "rows");
        Topology topology = shared.topology();
        return executor().call(op(Statements.verb(sql)), false, () -> {
            Topology.Target t = topology.primary();
            try (Connection c = topology.connection(t)) {
                c.setAutoCommit(false);
                try {
                    int[] counts = runBatch(c, sql, rows);
                    c.commit();
                    topology.succeeded();
                    return counts;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                topology.failed(t, e);
                throw e;
            }
        });
    }

    static int[] runBatch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < rows.size(); i++) {
                Object[] row = rows.get(i);
                if (row == null) {
                    throw new IllegalArgumentException("batch row " + i + " is null");
                }
                Statements.bind(ps, row);
                ps.addBatch();
            }
            try {
                return ps.executeBatch();
            } catch (java.sql.BatchUpdateException e) {
                // PgJDBC puts the server's error (with its SQLState) in the next exception
                SQLException next = e.getNextException();
                throw next != null ? next : e;
            }
        }
    }

    @Override
    public <T> T inTransaction(TransactionWork<T> work) {
        return inTransaction(Isolation.READ_COMMITTED, work);
    }

    @Override
    public <T> T inTransaction(Isolation isolation, TransactionWork<T> work) {
        Statements.nonNull(isolation, "isolation");
        Statements.nonNull(work, "work");
        String op = op("transaction");
        PostgresSettings settings = shared.settings();
        for (int attempt = 0;; attempt++) {
            try {
                return executor().call(op, false, () -> runTransaction(isolation, work));
            } catch (PostgresException e) {
                if (!PostgresFailures.isRetryableConflict(e.sqlState()) || attempt >= settings.txMaxRetries()) {
                    throw e;
                }
                long capMs = Math.min(settings.txMaxBackoff().toMillis(), 5L << Math.min(attempt, 10));
                long sleepMs = Math.max(1, ThreadLocalRandom.current().nextLong(capMs / 2, capMs + 1));
                log.debug("{} conflicted [{}], retrying in {} ms (attempt {})", op, e.sqlState(), sleepMs,
                        attempt + 2);
                shared.conflictRetries().increment();
                try {
                    Thread.sleep(sleepMs); // jittered backoff between retries, not a wait for a condition
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private <T> T runTransaction(Isolation isolation, TransactionWork<T> work) throws Exception {
        Topology topology = shared.topology();
        Topology.Target t = topology.primary();
        try (Connection c = topology.connection(t)) {
            try {
                c.setAutoCommit(false);
                if (isolation != Isolation.READ_COMMITTED) {
                    c.setTransactionIsolation(isolation.jdbcLevel());
                }
                T result = work.apply(new JdbcTransaction(c, shared.resilience()));
                c.commit();
                topology.succeeded();
                return result;
            } catch (Exception e) {
                rollbackQuietly(c);
                if (e instanceof SQLException sql) {
                    topology.failed(t, sql);
                    throw sql;
                }
                if (e instanceof io.suho.client.core.StoreUnavailableException u
                        && u.getCause() instanceof SQLException sql) {
                    topology.failed(t, sql); // a statement inside the block lost the connection
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new SuhoException("transaction work failed: " + e, e);
            }
        } catch (SQLException e) {
            topology.failed(t, e);
            throw e;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            log.debug("rollback failed (the connection is likely broken): {}", e.toString());
        }
    }

    @Override
    public <T> long stream(String sql, int fetchSize, RowMapper<T> mapper, Consumer<? super T> sink,
            Object... params) {
        Statements.requireSql(sql);
        Statements.nonNull(mapper, "mapper");
        Statements.nonNull(sink, "sink");
        if (fetchSize < 1) {
            throw new IllegalArgumentException("fetchSize must be at least 1, was " + fetchSize);
        }
        Object[] p = Statements.params(params);
        Topology topology = shared.topology();
        // Not retried: rows already handed to the sink cannot be taken back.
        return executor().call(op(Statements.verb(sql)), false, () -> {
            Topology.Target t = reading ? topology.readTarget() : topology.primary();
            try (Connection c = topology.connection(t)) {
                c.setAutoCommit(false); // PgJDBC only uses a cursor (fetch size) inside a transaction
                try {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET LOCAL statement_timeout = 0"); // long by nature; socketTimeout still bounds each fetch
                    }
                    long n = 0;
                    try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                            ResultSet.CONCUR_READ_ONLY)) {
                        ps.setFetchSize(fetchSize);
                        Statements.bind(ps, p);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                sink.accept(mapper.map(rs));
                                n++;
                            }
                        }
                    }
                    c.commit();
                    topology.succeeded();
                    return n;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                topology.failed(t, e);
                throw e;
            }
        });
    }

    @Override
    public PostgresClient reading() {
        return reading ? this : new JdbcPostgresClient(shared, true, operation);
    }

    @Override
    public PostgresClient named(String operation) {
        if (operation == null || operation.isBlank()) {
            throw new IllegalArgumentException("operation name must not be blank");
        }
        return new JdbcPostgresClient(shared, reading, operation);
    }

    @Override
    public Outbox outbox() {
        return shared.outbox();
    }

    @Override
    public TimeSeries timeSeries() {
        JdbcTimeSeries ts = timeSeries;
        if (ts == null) {
            ts = new JdbcTimeSeries(shared, this);
            timeSeries = ts; // a benign race: views are stateless
        }
        return ts;
    }

    @Override
    public DataSource primaryDataSource() {
        return shared.primaryDataSource();
    }

    boolean isReading() {
        return reading;
    }

    /** Runs work on a primary connection through the executor (COPY, DDL). */
    <T> T onPrimary(String verb, boolean idempotent, ConnectionWork<T> work) {
        Topology topology = shared.topology();
        RetryWindow window = idempotent ? retryWindow() : null;
        return executor().call(op(verb), idempotent, () -> {
            if (window != null) {
                window.beforeAttempt();
            }
            Topology.Target t = topology.primary();
            try (Connection c = topology.connection(t)) {
                T r = work.apply(c);
                topology.succeeded();
                return r;
            } catch (SQLException e) {
                topology.failed(t, e);
                throw window != null ? window.failed(e) : e;
            }
        });
    }

    /** Retries start only within half a margin of the call's start, so the retry still ends within the timeout. */
    private RetryWindow retryWindow() {
        return new RetryWindow(shared.retryWindowNanos());
    }

    /** Work on a borrowed connection. */
    @FunctionalInterface
    interface ConnectionWork<T> {
        T apply(Connection c) throws SQLException;
    }

    static List<Object[]> rows(int n) {
        return new ArrayList<>(n);
    }
}
