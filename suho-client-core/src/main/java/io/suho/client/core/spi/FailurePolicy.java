package io.suho.client.core.spi;

import io.suho.client.core.StoreOperationException;

/**
 * How one store's driver failures are read: a store module classifies, the core decides everything else (the
 * exception type, its message with the store timeout in it, the breaker, retries, the metric outcome). Implementations
 * must be thread-safe and fast on failures that are frequent (a refused connection during an outage).
 *
 * <p>Anything a policy does not recognise should go to {@link #generic(Throwable)}, which knows the JDK's network
 * exceptions; {@link Causes} walks cause chains with a depth bound and {@link HttpFailures} maps HTTP statuses.
 */
@FunctionalInterface
public interface FailurePolicy {

    /** Classifies a failure thrown inside a store call. Never returns {@code null}; never throws. */
    Failure classify(Throwable failure);

    /**
     * The exception for an {@link FailureKind#OPERATION_ERROR}: a module returns its own subtype of
     * {@link StoreOperationException} here (e.g. {@code PostgresException} with the SQLState), or {@code null} for a
     * plain {@code StoreOperationException}. Not called for the other kinds.
     */
    default StoreOperationException operationError(String operation, Failure failure, Throwable cause) {
        return null;
    }

    /**
     * The JDK's view of a failure, for what no store-specific rule recognises: a refused or unroutable connection,
     * an unknown host or a connect timeout is {@link FailureKind#UNAVAILABLE}; a read or {@code java.util.concurrent}
     * timeout, an interrupted or broken connection, and any other I/O error (it may have happened after the request
     * left) is {@link FailureKind#TIMEOUT}; any other unchecked exception is {@link FailureKind#CALLER_CODE};
     * anything else is {@link FailureKind#OPERATION_ERROR}.
     */
    static Failure generic(Throwable failure) {
        return Causes.networkFailure(failure);
    }
}
