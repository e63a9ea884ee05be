package io.suho.client.analytics;

/**
 * Turns one result row into a value; called once per row while the result is read. An unchecked exception thrown
 * here reaches the caller as it is, a checked one as {@link AnalyticsQueryException}; never retried, and never counted
 * against the store's circuit breaker.
 */
@FunctionalInterface
public interface RowMapper<T> {
    T map(Row row) throws Exception;
}
