package io.suho.client.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An open transaction handed to {@link TransactionWork}: run statements on its connection. Commit and rollback
 * are done by {@link PostgresClient#inTransaction}; do not call them on {@link #connection()}.
 */
public interface Transaction {
    <T> List<T> query(String sql, RowMapper<T> mapper, @Nullable Object... params);

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, @Nullable Object... params);

    int update(String sql, @Nullable Object... params);

    int[] batch(String sql, List<Object[]> rows);

    /**
     * {@link PostgresClient#insertReturningKey} inside the transaction. The default implementation runs the
     * statement on {@link #connection()} with plain {@code setObject} binding and reports a failure as a
     * {@link PostgresException}; the SDK's own transactions bind and map failures as every other statement.
     */
    default <K> Optional<K> insertReturningKey(String sql, String keyColumn, Class<K> keyType, @Nullable Object... params) {
        List<K> keys = insertReturningKeys(sql, keyColumn, keyType, params);
        return keys.isEmpty() ? Optional.empty() : Optional.ofNullable(keys.get(0));
    }

    /** {@link PostgresClient#insertReturningKeys} inside the transaction; default as {@link #insertReturningKey}. */
    default <K> List<K> insertReturningKeys(String sql, String keyColumn, Class<K> keyType, @Nullable Object... params) {
        try (PreparedStatement ps = connection().prepareStatement(sql, new String[] {keyColumn})) {
            Object[] p = params == null ? new Object[] {null} : params;
            for (int i = 0; i < p.length; i++) {
                ps.setObject(i + 1, p[i]);
            }
            ps.executeUpdate();
            List<K> keys = new ArrayList<>(1);
            try (ResultSet rs = ps.getGeneratedKeys()) {
                while (rs.next()) {
                    keys.add(rs.getObject(1, keyType));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new PostgresException("insert", e.getSQLState(), "insert failed: " + e.getMessage(), e);
        }
    }

    /** The underlying JDBC connection (e.g. for COPY or driver-specific calls); valid until the block returns. */
    Connection connection();
}
