package io.suho.client.core;

/**
 * A store cannot be used right now: its circuit breaker is open, or the call failed because the server did
 * not answer in time or refused the connection. Thrown without touching the network when the breaker is
 * open, so it is cheap to catch and degrade on.
 */
public class StoreUnavailableException extends SuhoException {
    private static final long serialVersionUID = 1L;

    private final Store store;
    private final boolean breakerOpen;

    public StoreUnavailableException(Store store, String message, boolean breakerOpen, Throwable cause) {
        super(store.id() + " is unavailable: " + message, cause);
        this.store = store;
        this.breakerOpen = breakerOpen;
    }

    /**
     * A rejection by an open breaker: no I/O happened, so the stack trace would only show the caller; it is left
     * out to keep rejections in the microsecond range. {@code fullMessage} is used as is.
     */
    static StoreUnavailableException rejected(Store store, String fullMessage) {
        return new StoreUnavailableException(store, fullMessage);
    }

    private StoreUnavailableException(Store store, String fullMessage) {
        super(fullMessage, null, false);
        this.store = store;
        this.breakerOpen = true;
    }

    /** The store that could not be used. */
    public Store store() {
        return store;
    }

    /** True when the call was rejected by an open circuit breaker without any network I/O. */
    public boolean breakerOpen() {
        return breakerOpen;
    }
}
