package io.suho.client.postgres.internal;

import io.suho.client.core.NativeCall;
import io.suho.client.core.SuhoException;
import io.suho.client.core.spi.CallDetail;
import io.suho.client.core.spi.StoreExecutor;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
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
    private static final Executor DIRECT = Runnable::run;

    private final PostgresShared shared;
    private final boolean reading;
    private final String operation;
    /** This view's timeout ({@link #withTimeout}), or {@code null} for the store timeout and the pool's settings. */
    private final Duration timeout;
    /** Created on first use: {@link #named(String)} views are made per call and should cost next to nothing. */
    private volatile JdbcTimeSeries timeSeries;

    JdbcPostgresClient(PostgresShared shared, boolean reading, String operation) {
        this(shared, reading, operation, null);
    }

    private JdbcPostgresClient(PostgresShared shared, boolean reading, String operation, Duration timeout) {
        this.shared = shared;
        this.reading = reading;
        this.operation = operation;
        this.timeout = timeout;
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
        boolean read = Statements.isRead(verb);
        return withConnection(op(verb), CallDetail.statement(sql), read, reading && read,
                c -> runQuery(c, sql, mapper, params, limit));
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
        return withConnection(op(Statements.verb(sql)), CallDetail.statement(sql), false, false, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Statements.bind(ps, p);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public <K> Optional<K> insertReturningKey(String sql, String keyColumn, Class<K> keyType, Object... params) {
        List<K> keys = insertReturningKeys(sql, keyColumn, keyType, params);
        return keys.isEmpty() ? Optional.empty() : Optional.ofNullable(keys.get(0));
    }

    @Override
    public <K> List<K> insertReturningKeys(String sql, String keyColumn, Class<K> keyType, Object... params) {
        Statements.requireInsert(sql, keyColumn, keyType);
        Object[] p = Statements.params(params);
        return withConnection(op("insert"), false, false, c -> Statements.insertKeys(c, sql, keyColumn, keyType, p));
    }

    @Override
    public int[] batch(String sql, List<Object[]> rows) {
        Statements.requireSql(sql);
        Statements.nonNull(rows, "rows");
        return withConnection(op(Statements.verb(sql)), false, false, c -> {
            c.setAutoCommit(false);
            try {
                int[] counts = runBatch(c, sql, rows);
                c.commit();
                return counts;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
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
        for (int retry = 1;; retry++) {
            try {
                return withConnection(op, false, false, c -> runTransaction(c, isolation, work));
            } catch (PostgresException e) {
                if (!PostgresFailures.isRetryableConflict(e.sqlState()) || retry > settings.txMaxRetries()) {
                    throw e;
                }
                long sleepNanos = shared.txBackoff().delayNanos(retry);
                log.debug("{} conflicted [{}], retrying in {} us (attempt {})", op, e.sqlState(), sleepNanos / 1000,
                        retry + 1);
                shared.conflictRetries().increment();
                try {
                    TimeUnit.NANOSECONDS.sleep(sleepNanos); // backoff between retries, not a wait for a condition
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private <T> T runTransaction(Connection c, Isolation isolation, TransactionWork<T> work) throws Exception {
        try {
            c.setAutoCommit(false);
            if (isolation != Isolation.READ_COMMITTED) {
                c.setTransactionIsolation(isolation.jdbcLevel());
            }
            T result = work.apply(new JdbcTransaction(c, executor()));
            c.commit();
            return result;
        } catch (Exception e) {
            rollbackQuietly(c);
            if (e instanceof SQLException || e instanceof RuntimeException) {
                throw e;
            }
            throw new SuhoException("transaction work failed: " + e, e);
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
        // Not retried: rows already handed to the sink cannot be taken back.
        return withConnection(op(Statements.verb(sql)), false, reading, (StreamWork<Long>) c -> {
            c.setAutoCommit(false); // PgJDBC only uses a cursor (fetch size) inside a transaction
            try {
                try (Statement s = c.createStatement()) {
                    // long by nature; the socket read timeout still bounds each fetch
                    s.execute("SET LOCAL statement_timeout = 0");
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
                return n;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        });
    }

    @Override
    public PostgresClient reading() {
        return reading ? this : new JdbcPostgresClient(shared, true, operation, timeout);
    }

    @Override
    public PostgresClient named(String operation) {
        if (operation == null || operation.isBlank()) {
            throw new IllegalArgumentException("operation name must not be blank");
        }
        return new JdbcPostgresClient(shared, reading, operation, timeout);
    }

    @Override
    public PostgresClient withTimeout(Duration timeout) {
        return new JdbcPostgresClient(shared, reading, operation, ViewTimeout.check(timeout));
    }

    @Override
    public Duration timeout() {
        return timeout != null ? timeout : shared.settings().timeout();
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

    @Override
    public <R> R execute(String operation, boolean idempotent, NativeCall<Connection, R> call) {
        if (operation == null || operation.isBlank()) {
            throw new IllegalArgumentException("operation name must not be blank");
        }
        Statements.nonNull(call, "call");
        return withConnection(operation, idempotent, false, call::call);
    }

    /** Runs work on a primary connection through the executor (COPY, DDL). */
    <T> T onPrimary(String verb, boolean idempotent, ConnectionWork<T> work) {
        return withConnection(op(verb), idempotent, false, work);
    }

    /**
     * Runs {@code work} on a pooled connection through the executor. Idempotent work takes the store timeout as a
     * whole-call budget: a retry starts only while half of it is left (after a quick failure such as a stale pooled
     * connection, never after a timeout against a hung server), and its socket read timeout is cut to what is left.
     * The first attempt keeps the pool's own timeouts, which {@link CallTimeouts} already fitted into the budget.
     */
    private <T> T withConnection(String operation, boolean idempotent, boolean replica, ConnectionWork<T> work) {
        return withConnection(operation, null, idempotent, replica, work);
    }

    /** {@code detail}: the statement for the call's observation ({@code db.query.text} when opted in), or null. */
    private <T> T withConnection(String operation, CallDetail detail, boolean idempotent, boolean replica,
            ConnectionWork<T> work) {
        if (timeout != null) {
            return executor().call(operation, detail, idempotent, timeout,
                    left -> attempt(operation, replica, null, left, work));
        }
        if (!idempotent) {
            return executor().call(operation, detail, false, () -> attempt(operation, replica, null, null, work));
        }
        boolean[] retry = {false};
        return executor().call(operation, detail, true, shared.settings().timeout(), left -> {
            Duration socket = retry[0] ? left : null;
            retry[0] = true;
            return attempt(operation, replica, socket, null, work);
        });
    }

    /**
     * One attempt on a connection of the primary or a replica. {@code socket}: a shorter socket read timeout for a
     * retry; {@code viewBudget}: a {@link #withTimeout} view's budget for this attempt (then {@link ViewTimeout}
     * sets the socket and statement timeouts), {@code null} for the pool's.
     */
    private <T> T attempt(String operation, boolean replica, Duration socket, Duration viewBudget,
            ConnectionWork<T> work) throws Exception {
        Topology topology = shared.topology();
        long started = replica ? System.nanoTime() : 0;
        Topology.Target t = replica ? topology.readTarget(started) : topology.primary();
        try (Connection c = topology.connection(t, operation)) {
            if (socket != null && socket.compareTo(shared.settings().timeouts().network()) < 0) {
                c.setNetworkTimeout(DIRECT, (int) Math.max(1, socket.toMillis())); // Hikari restores it on return
            }
            T result = viewBudget == null ? work.apply(c) : ViewTimeout.run(c, t.pool(), viewBudget, work);
            topology.succeeded();
            return result;
        } catch (Exception e) {
            SQLException sql = e instanceof SQLException s ? s
                    : e instanceof SuhoException && e.getCause() instanceof SQLException s ? s : null;
            if (sql != null) {
                topology.failed(t, sql); // a lost primary or replica starts its re-resolution
            }
            throw e;
        } finally {
            // a replica's latency, pool wait included; a stream's length is the caller's, not the replica's
            if (t.slot() >= 0) {
                long ended = System.nanoTime();
                topology.readFinished(t, ended - started, ended, !(work instanceof StreamWork));
            }
        }
    }

    /** Work on a borrowed connection. */
    @FunctionalInterface
    interface ConnectionWork<T> {
        T apply(Connection c) throws Exception;
    }

    /** Work that streams rows to the caller: its duration is not the server's latency (not sampled for routing). */
    @FunctionalInterface
    interface StreamWork<T> extends ConnectionWork<T> {
    }

    static List<Object[]> rows(int n) {
        return new ArrayList<>(n);
    }
}
