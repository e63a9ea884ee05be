package io.suho.client.core;

import java.time.Duration;

/**
 * A store call was sent, or may have been, and its outcome is unknown: the driver's timeout fired, the connection
 * broke mid-call, or the server cancelled the call at its own time limit. Unlike {@link StoreUnavailableException}
 * this is <em>not</em> "nothing happened": a write may have been applied. Retry only what is idempotent (same id, an
 * upsert, a read), or check first.
 *
 * <p>{@link #serverReported()} tells the two origins apart: a timeout the server reported while answering normally
 * (PostgreSQL {@code statement_timeout}, ClickHouse {@code TIMEOUT_EXCEEDED}) does not count against the store's
 * circuit breaker; one the client had to declare because no answer came does.
 */
public class StoreTimeoutException extends SuhoException {
    private static final long serialVersionUID = 1L;

    private final Store store;
    private final String operation;
    private final Duration timeout;
    private final boolean serverReported;

    /**
     * @param message the whole message (the SDK writes it as {@code "<store> <operation> ... (outcome unknown)..."})
     */
    public StoreTimeoutException(Store store, String operation, Duration timeout, boolean serverReported,
            String message, Throwable cause) {
        super(message, cause);
        this.store = store;
        this.operation = operation;
        this.timeout = timeout;
        this.serverReported = serverReported;
    }

    /** The store the call went to. */
    public Store store() {
        return store;
    }

    /** The operation name the call was made under (the {@code operation} tag of {@code suho.client.requests}). */
    public String operation() {
        return operation;
    }

    /**
     * The call's time budget: the store's timeout, or the call's own budget where it had one. For a
     * {@link #serverReported()} timeout it is the budget the call had, not the server-side limit that fired.
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * True when the server itself cancelled the call at its time limit and stayed healthy (it does not count against
     * the breaker); false when no answer came.
     */
    public boolean serverReported() {
        return serverReported;
    }
}
