package io.suho.client.core;

/**
 * A store call was <em>not sent</em>: the store's circuit breaker is open, the connection was refused, the host is
 * unknown or unreachable, or the pool is known to be down. Nothing reached the store, so it is safe to retry
 * elsewhere, queue, or degrade (serve a cached value, answer "try later"). Thrown without touching the network when
 * the breaker is open ({@link #breakerOpen()}), so it is cheap to catch.
 *
 * <p>A call whose outcome is unknown (a timeout, a connection lost mid-call) is a {@link StoreTimeoutException}
 * instead, which is not a subtype of this one: a "degrade when unavailable" handler never swallows a write that may
 * have landed.
 */
public class StoreUnavailableException extends SuhoException {
    private static final long serialVersionUID = 1L;

    private final Store store;
    private final boolean breakerOpen;

    /** @param message what happened, after the {@code "<store> is unavailable: "} prefix this adds */
    public StoreUnavailableException(Store store, String message, boolean breakerOpen, Throwable cause) {
        super(store.id() + " is unavailable: " + message, cause);
        this.store = store;
        this.breakerOpen = breakerOpen;
    }

    /**
     * A rejection by an open breaker: no I/O happened, so the stack trace would only show the caller; it is left
     * out to keep rejections in the microsecond range. {@code fullMessage} is used as is.
     */
    public static StoreUnavailableException rejected(Store store, String fullMessage) {
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
