package io.suho.client.postgres;

import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;

/**
 * A PostgreSQL statement failed for a reason retrying will not fix (bad SQL, constraint violation, unknown column
 * in a row mapper). Carries the SQLState ({@link #sqlState()}) and the operation name; never credentials.
 */
public class PostgresException extends StoreOperationException {
    private static final long serialVersionUID = 1L;

    public PostgresException(String operation, String sqlState, String message, Throwable cause) {
        super(Store.POSTGRES, operation, sqlState, message, cause);
    }

    /** The five-character SQLState, or {@code null} when the driver gave none. */
    public String sqlState() {
        return errorCode();
    }
}
