package io.suho.client.core;

/**
 * Base of every exception the Suho SDK throws. Unchecked. Store calls end in one of three types, the same for all
 * seven stores (see {@code docs/errors.md}):
 * <ul>
 * <li>{@link StoreUnavailableException}: not sent (breaker open, connection refused); safe to retry elsewhere or
 * degrade;</li>
 * <li>{@link StoreTimeoutException}: sent or maybe sent, outcome unknown; retry only what is idempotent;</li>
 * <li>{@link StoreOperationException} (and {@link DuplicateKeyException}): the store answered with an error about
 * this call; retrying the same call fails the same way.</li>
 * </ul>
 * {@link ConfigurationException} comes at start-up and names the key to fix.
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
