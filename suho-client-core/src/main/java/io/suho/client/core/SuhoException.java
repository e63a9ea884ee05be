package io.suho.client.core;

/**
 * Base of every exception the Suho SDK throws. Unchecked: callers catch the subtype they can act on
 * ({@link StoreUnavailableException} to degrade, {@link ConfigurationException} at start-up).
 */
public class SuhoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SuhoException(String message) {
        super(message);
    }

    public SuhoException(String message, Throwable cause) {
        super(message, cause);
    }

    /** For cheap, frequent exceptions (e.g. breaker rejections) that need no stack trace. */
    protected SuhoException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }
}
