package io.suho.client.cache;

import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;

/**
 * A cache value could not be converted to or from JSON: the object cannot be serialised (nothing was written), or the
 * stored text is not the requested type. Names the key and the type; never retried, never opens the breaker. Also
 * thrown when a native call ({@link CacheClient#execute}) fails on a Jackson exception; key and type are then unknown.
 */
public class CacheValueException extends StoreOperationException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String type;

    public CacheValueException(String operation, String key, String type, String problem, Throwable cause) {
        super(Store.CACHE, operation, "SERIALIZATION", "value of key '" + key + "' "
                + problem + " type " + type, cause);
        this.key = key;
        this.type = type;
    }

    /** A JSON problem inside a native call, where the SDK knows neither key nor type. */
    public CacheValueException(String operation, String problem, Throwable cause) {
        super(Store.CACHE, operation, "SERIALIZATION", problem, cause);
        this.key = null;
        this.type = null;
    }

    /** The key as the caller gave it (without namespace); {@code null} for a native call's failure. */
    public String key() {
        return key;
    }

    /** The Java type that could not be written or read; {@code null} for a native call's failure. */
    public String type() {
        return type;
    }
}
