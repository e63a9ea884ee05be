package io.suho.client.core;

/**
 * A write was rejected because a row, document or key with the same unique key already exists: PostgreSQL SQLState
 * 23505, ArangoDB error 1210. The same on every store, so "insert or tell me it was there" reads the same
 * everywhere. Never retried; never counts against the breaker. {@link #errorCode()} is the store's own code.
 */
public class DuplicateKeyException extends StoreOperationException {
    private static final long serialVersionUID = 1L;

    public DuplicateKeyException(Store store, String operation, String errorCode, String message, Throwable cause) {
        super(store, operation, errorCode, message, cause);
    }
}
