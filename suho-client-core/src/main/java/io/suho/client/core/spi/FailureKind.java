package io.suho.client.core.spi;

/**
 * What a failed store call means for the caller, the breaker and retries. A {@link FailurePolicy} sorts every driver
 * failure into one of these; the core turns the kind into the exception the caller sees, so the seven stores fail
 * the same way.
 *
 * <table>
 * <caption>kind → what the caller gets, whether it counts against the breaker, whether idempotent calls retry</caption>
 * <tr><th>kind</th><th>caller sees</th><th>breaker</th><th>retried</th></tr>
 * <tr><td>{@link #UNAVAILABLE}</td><td>{@code StoreUnavailableException}</td><td>counts</td><td>yes</td></tr>
 * <tr><td>{@link #TIMEOUT}</td><td>{@code StoreTimeoutException}</td><td>counts</td><td>yes</td></tr>
 * <tr><td>{@link #SERVER_TIMEOUT}</td><td>{@code StoreTimeoutException}</td><td>no</td><td>no</td></tr>
 * <tr><td>{@link #DUPLICATE_KEY}</td><td>{@code DuplicateKeyException}</td><td>no</td><td>no</td></tr>
 * <tr><td>{@link #OPERATION_ERROR}</td><td>{@code StoreOperationException} (or the module's subtype)</td><td>no</td>
 * <td>no</td></tr>
 * <tr><td>{@link #CALLER_CODE}</td><td>the exception itself, unchanged</td><td>no</td><td>no</td></tr>
 * </table>
 */
public enum FailureKind {
    /**
     * The call was <em>not sent</em>: connection refused, no route, unknown host, a pool known to be down. Safe to
     * retry elsewhere or degrade.
     */
    UNAVAILABLE,
    /**
     * The call was sent, or may have been, and no answer came: the driver's timeout fired or the connection broke
     * mid-call. The outcome is unknown.
     */
    TIMEOUT,
    /**
     * The server itself cancelled the call at its own time limit while staying healthy (PostgreSQL 57014
     * {@code statement_timeout}, ClickHouse {@code TIMEOUT_EXCEEDED}). The caller gets a timeout, but the store is
     * answering, so it does not count against the breaker and is not retried.
     */
    SERVER_TIMEOUT,
    /** The server rejected a write because a unique key already exists (PostgreSQL 23505, ArangoDB 1210). */
    DUPLICATE_KEY,
    /** The server answered with an error about this call (bad query, unknown table, a constraint). */
    OPERATION_ERROR,
    /**
     * Not a store failure at all: thrown by the caller's own code running inside the call (a row mapper, a
     * transaction body, a native call's lambda). Passed through unchanged.
     */
    CALLER_CODE;

    /** True for the kinds that count against the breaker and are retried for idempotent calls. */
    public boolean storeFault() {
        return this == UNAVAILABLE || this == TIMEOUT;
    }

    /** True when the call may have reached the store and its outcome is unknown or a timeout was reported. */
    public boolean timedOut() {
        return this == TIMEOUT || this == SERVER_TIMEOUT;
    }
}
