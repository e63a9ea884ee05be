package io.suho.client.postgres.internal;

import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.postgres.RowMapper;
import io.suho.client.postgres.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Transaction} handed to an {@code inTransaction} block: statements on one connection with autocommit
 * off. A failed statement is mapped at once by the store's failure policy ({@link StoreExecutor#failure}, with the
 * statement verb as operation), so the block sees the same exception types as single calls; the enclosing block's
 * commit, rollback and retry happen in {@link JdbcPostgresClient}. Not thread-safe (one block, one thread).
 */
final class JdbcTransaction implements Transaction {
    private final Connection connection;
    private final StoreExecutor executor;

    JdbcTransaction(Connection connection, StoreExecutor executor) {
        this.connection = connection;
        this.executor = executor;
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        Statements.requireSql(sql);
        Statements.nonNull(mapper, "mapper");
        try {
            return JdbcPostgresClient.runQuery(connection, sql, mapper, Statements.params(params), Integer.MAX_VALUE);
        } catch (SQLException e) {
            throw executor.failure(Statements.verb(sql), e);
        }
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        Statements.requireSql(sql);
        Statements.nonNull(mapper, "mapper");
        try {
            List<T> rows = JdbcPostgresClient.runQuery(connection, sql, mapper, Statements.params(params), 1);
            return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
        } catch (SQLException e) {
            throw executor.failure(Statements.verb(sql), e);
        }
    }

    @Override
    public int update(String sql, Object... params) {
        Statements.requireSql(sql);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            Statements.bind(ps, Statements.params(params));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw executor.failure(Statements.verb(sql), e);
        }
    }

    @Override
    public int[] batch(String sql, List<Object[]> rows) {
        Statements.requireSql(sql);
        Statements.nonNull(rows, "rows");
        try {
            return JdbcPostgresClient.runBatch(connection, sql, rows);
        } catch (SQLException e) {
            throw executor.failure(Statements.verb(sql), e);
        }
    }

    @Override
    public <K> Optional<K> insertReturningKey(String sql, String keyColumn, Class<K> keyType, Object... params) {
        List<K> keys = insertReturningKeys(sql, keyColumn, keyType, params);
        return keys.isEmpty() ? Optional.empty() : Optional.ofNullable(keys.get(0));
    }

    @Override
    public <K> List<K> insertReturningKeys(String sql, String keyColumn, Class<K> keyType, Object... params) {
        Statements.requireInsert(sql, keyColumn, keyType);
        try {
            return Statements.insertKeys(connection, sql, keyColumn, keyType, Statements.params(params));
        } catch (SQLException e) {
            throw executor.failure("insert", e);
        }
    }

    @Override
    public Connection connection() {
        return connection;
    }

    static <T> List<T> newList(int limit) {
        return limit == 1 ? new ArrayList<>(1) : new ArrayList<>();
    }
}
