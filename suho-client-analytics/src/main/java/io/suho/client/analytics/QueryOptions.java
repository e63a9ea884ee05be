package io.suho.client.analytics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-call options for queries and statements: the server-side {@code max_execution_time}, a query id for tracing
 * ({@code system.query_log}, {@code KILL QUERY}), extra ClickHouse settings, and whether the call is a point
 * operation ({@link #point()}: bounded by {@code suho.analytics.point-timeout} instead of the store timeout).
 * Immutable; every {@code with…} returns a copy.
 */
public final class QueryOptions {
    private static final QueryOptions DEFAULTS = new QueryOptions(null, null, Map.of(), false);
    private static final QueryOptions POINT = new QueryOptions(null, null, Map.of(), true);

    private final Duration maxExecutionTime;
    private final String queryId;
    private final Map<String, String> settings;
    private final boolean point;

    private QueryOptions(Duration maxExecutionTime, String queryId, Map<String, String> settings, boolean point) {
        this.maxExecutionTime = maxExecutionTime;
        this.queryId = queryId;
        this.settings = settings;
        this.point = point;
    }

    /** No per-call options: the store timeout applies. */
    public static QueryOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A point operation (a lookup by key on a service's request path): the whole call, retries included, ends within
     * {@code suho.analytics.point-timeout} (default 600 ms), and the server's {@code max_execution_time} is that timeout
     * rounded up to whole seconds. On a hung server such a call is given up on within the point timeout instead of
     * the store timeout (10 s), and its outcome is reported as unknown.
     */
    public static QueryOptions point() {
        return POINT;
    }

    /**
     * Sets the server's {@code max_execution_time} (whole seconds, rounded up) and raises this call's socket timeout
     * to match, so a long aggregation is not cut off by the store's default timeout.
     */
    public QueryOptions withMaxExecutionTime(Duration d) {
        Objects.requireNonNull(d, "maxExecutionTime");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("maxExecutionTime must be positive, was " + d);
        }
        return new QueryOptions(d, queryId, settings, point);
    }

    /** Sets the query id the server records (letters, digits, {@code -_.:} only, at most 128 characters). */
    public QueryOptions withQueryId(String id) {
        Objects.requireNonNull(id, "queryId");
        if (!id.matches("[A-Za-z0-9_.:-]{1,128}")) {
            throw new IllegalArgumentException("queryId '" + id + "' must be 1-128 characters of [A-Za-z0-9_.:-]");
        }
        return new QueryOptions(maxExecutionTime, id, settings, point);
    }

    /** Adds a ClickHouse setting for this call, e.g. {@code max_threads=4}. */
    public QueryOptions withSetting(String name, Object value) {
        Objects.requireNonNull(name, "setting name");
        Objects.requireNonNull(value, "setting value");
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("setting name '" + name + "' is not a ClickHouse setting name");
        }
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put(name, String.valueOf(value));
        return new QueryOptions(maxExecutionTime, queryId, Map.copyOf(s), point);
    }

    /** The server-side execution limit, or {@code null}. */
    public Duration maxExecutionTime() {
        return maxExecutionTime;
    }

    /** The query id, or {@code null} to let the client generate one. */
    public String queryId() {
        return queryId;
    }

    public Map<String, String> settings() {
        return settings;
    }

    /** True for {@link #point()} options. */
    public boolean isPoint() {
        return point;
    }

    @Override
    public String toString() {
        return "QueryOptions{maxExecutionTime=" + maxExecutionTime + ", queryId=" + queryId + ", settings="
                + settings + ", point=" + point + "}";
    }
}
