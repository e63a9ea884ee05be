package io.suho.client.analytics;

/**
 * Turns one result row into a value; called once per row while the result is read. An exception thrown here fails
 * the query as a caller error (never retried).
 */
@FunctionalInterface
public interface RowMapper<T> {
    T map(Row row) throws Exception;
}
