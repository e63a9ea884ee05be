package io.suho.client.analytics;

import java.util.Objects;

/**
 * Per-call options for {@link AnalyticsClient#insert}: a deduplication token and whether the insert may be retried
 * when the store is unavailable. Immutable.
 *
 * <p>Retrying an insert whose first attempt timed out can write the rows twice. It is safe when the server
 * deduplicates (a {@link #withDedupToken dedup token} on a server that supports it, see
 * {@link ServerInfo#supportsInsertDedupToken()}) or when the table collapses duplicates itself (a
 * {@code ReplacingMergeTree} keyed by a unique id read with {@code FINAL}); say so with {@link #withRetry}.
 */
public final class InsertOptions {
    private static final InsertOptions DEFAULTS = new InsertOptions(null, false, null);

    private final String dedupToken;
    private final boolean retry;
    private final String queryId;

    private InsertOptions(String dedupToken, boolean retry, String queryId) {
        this.dedupToken = dedupToken;
        this.retry = retry;
        this.queryId = queryId;
    }

    /** No token, no retries. */
    public static InsertOptions defaults() {
        return DEFAULTS;
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
        return new InsertOptions(token, retry, queryId);
    }

    /** Declares that a duplicate write is harmless, so the insert is retried while the store is unavailable. */
    public InsertOptions withRetry(boolean retry) {
        return new InsertOptions(dedupToken, retry, queryId);
    }

    /** Sets the query id the server records for this insert. */
    public InsertOptions withQueryId(String id) {
        QueryOptions.defaults().withQueryId(id); // same validation
        return new InsertOptions(dedupToken, retry, id);
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
}
