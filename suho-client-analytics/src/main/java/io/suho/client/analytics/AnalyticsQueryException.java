package io.suho.client.analytics;

import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;

/**
 * ClickHouse answered with an error about this call (bad SQL, unknown table or column, a value that does not parse
 * as the column's type, …). Never retried. {@link #serverCode()} is ClickHouse's numeric error code (e.g. 62 syntax
 * error, 60 unknown table, 47 unknown identifier, 27/26/6 cannot parse, 117 unknown field), also given as
 * {@link #errorCode()}.
 */
public class AnalyticsQueryException extends StoreOperationException {
    private static final long serialVersionUID = 1L;

    private final int serverCode;

    public AnalyticsQueryException(String operation, int serverCode, String message, Throwable cause) {
        super(Store.ANALYTICS, operation, serverCode > 0 ? Integer.toString(serverCode) : null, message, cause);
        this.serverCode = serverCode;
    }

    /** ClickHouse's error code, or 0 when the failure did not carry one (e.g. a row mapper threw). */
    public int serverCode() {
        return serverCode;
    }
}
