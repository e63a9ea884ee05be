package io.suho.client.postgres;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * An open transaction handed to {@link TransactionWork}: run statements on its connection. Commit and rollback
 * are done by {@link PostgresClient#inTransaction}; do not call them on {@link #connection()}.
 */
public interface Transaction {
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params);

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params);

    int update(String sql, Object... params);

    int[] batch(String sql, List<Object[]> rows);

    /** The underlying JDBC connection (e.g. for COPY or driver-specific calls); valid until the block returns. */
    Connection connection();
}
