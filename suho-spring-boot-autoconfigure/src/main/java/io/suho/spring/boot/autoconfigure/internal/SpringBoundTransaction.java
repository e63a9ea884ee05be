package io.suho.spring.boot.autoconfigure.internal;

import io.suho.client.postgres.RowMapper;
import io.suho.client.postgres.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The Spring-managed transaction on {@code dataSource} seen as a Suho {@link Transaction}: every statement runs on the
 * connection Spring bound to the current transaction, so it commits or rolls back with the caller's
 * {@code @Transactional} work. SQL errors become Spring's {@code DataAccessException}s (so {@code @Transactional}
 * rolls back on them).
 */
public final class SpringBoundTransaction implements Transaction {
    private final DataSource dataSource;

    private SpringBoundTransaction(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The current transaction on {@code dataSource}.
     *
     * @throws IllegalStateException when no Spring transaction is active on it, naming the fix
     */
    public static SpringBoundTransaction current(DataSource dataSource) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("no Spring transaction is active: call the Suho outbox from a "
                    + "@Transactional method (or TransactionTemplate) so the outbox row commits with your rows");
        }
        if (TransactionSynchronizationManager.getResource(dataSource) == null) {
            throw new IllegalStateException("the active Spring transaction is not on the DataSource the outbox "
                    + "writes to (" + dataSource + "); fix: run it with a transaction manager on that DataSource "
                    + "(the auto-configured one, or DataSourceTransactionManager/JdbcTransactionManager on it)");
        }
        return new SpringBoundTransaction(dataSource);
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return run(sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        });
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    @Override
    public int update(String sql, Object... params) {
        return run(sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int[] batch(String sql, List<Object[]> rows) {
        return run(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /** The connection of the Spring transaction; Spring closes it when the transaction ends. */
    @Override
    public Connection connection() {
        return DataSourceUtils.getConnection(dataSource);
    }

    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(String sql, ConnectionWork<T> work) {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new UncategorizedSQLException("suho outbox", sql, e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object[] params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            bind(ps, params);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        if (params == null) {
            return;
        }
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }
}
