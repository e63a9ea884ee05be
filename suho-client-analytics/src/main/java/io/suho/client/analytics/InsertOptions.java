package io.suho.client.analytics;

import java.util.Objects;

/**
 * Per-call options for {@link AnalyticsClient#insert}: a deduplication token and whether the insert may be retried
 * after a store failure. Immutable.
 *
 * <p>An insert that got no answer ({@link io.suho.client.core.StoreTimeoutException}) may have been written, and
 * retrying it can write the rows twice. It is safe when the server
 * deduplicates (a {@link #withDedupToken dedup token} on a server that supports it, see
 * {@link ServerInfo#supportsInsertDedupToken()}) or when the table collapses duplicates itself (a
 * {@code ReplacingMergeTree} keyed by a unique id read with {@code FINAL}); say so with {@link #withRetry}.
 *
 * <p>{@link #point()} marks a small insert on a service's request path: the whole call, retries included, ends within
 * {@code suho.analytics.point-timeout} (default 600 ms) instead of the store timeout (10 s).
 */
public final class InsertOptions {
    private static final InsertOptions DEFAULTS = new InsertOptions(null, false, null, false);
    private static final InsertOptions POINT = new InsertOptions(null, false, null, true);

    private final String dedupToken;
    private final boolean retry;
    private final String queryId;
    private final boolean point;

    private InsertOptions(String dedupToken, boolean retry, String queryId, boolean point) {
        this.dedupToken = dedupToken;
        this.retry = retry;
        this.queryId = queryId;
        this.point = point;
    }

    /** No token, no retries. */
    public static InsertOptions defaults() {
        return DEFAULTS;
    }

    /**
     * No token, no retries, and a point operation: the whole call ends within {@code suho.analytics.point-timeout}
     * (a timed-out insert may still have been written: its outcome is unknown).
     */
    public static InsertOptions point() {
        return POINT;
    }

    /**
     * Sends {@code insert_deduplication_token} where the server supports it (ignored, with a debug log, on older
     * servers); a retried insert with the same token is written once. Implies {@link #retry()} on such servers.
     */
    public InsertOptions withDedupToken(String token) {
        Objects.requireNonNull(token, "dedupToken");
        if (token.isBlank() || token.length() > 256) {
            throw new IllegalArgumentException("dedupToken must be 1-256 characters");
        }
        return new InsertOptions(token, retry, queryId, point);
    }

    /**
     * Declares that a duplicate write is harmless, so the insert is retried when the store was unavailable or did not
     * answer.
     */
    public InsertOptions withRetry(boolean retry) {
        return new InsertOptions(dedupToken, retry, queryId, point);
    }

    /** Sets the query id the server records for this insert. */
    public InsertOptions withQueryId(String id) {
        QueryOptions.defaults().withQueryId(id); // same validation
        return new InsertOptions(dedupToken, retry, id, point);
    }

    public String dedupToken() {
        return dedupToken;
    }

    public boolean retry() {
        return retry;
    }

    public String queryId() {
        return queryId;
    }

    /** True for {@link #point()} options. */
    public boolean isPoint() {
        return point;
    }
}
