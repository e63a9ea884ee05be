package io.suho.client.core;

/**
 * A store answered, but the operation failed: bad SQL, a constraint violation, a value that cannot be
 * (de)serialised, a wrong type. Retrying the same call will fail the same way. Carries the store, the
 * operation name the caller gave and, where the store has one, its error code (e.g. a PostgreSQL SQLState).
 */
public class StoreOperationException extends SuhoException {
    private static final long serialVersionUID = 1L;

    private final Store store;
    private final String operation;
    private final String errorCode;

    public StoreOperationException(Store store, String operation, String errorCode, String message, Throwable cause) {
        super(store.id() + " " + operation + " failed" + (errorCode == null ? "" : " [" + errorCode + "]") + ": " + message,
                cause);
        this.store = store;
        this.operation = operation;
        this.errorCode = errorCode;
    }

    public Store store() {
        return store;
    }

    public String operation() {
        return operation;
    }

    /** The store's own error code (SQLState, Redis error prefix, …) or {@code null} when it has none. */
    public String errorCode() {
        return errorCode;
    }
}
