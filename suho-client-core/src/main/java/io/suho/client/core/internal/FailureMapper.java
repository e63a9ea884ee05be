package io.suho.client.core.internal;

import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoException;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The failure half of a {@link CallPipeline}: classifies what a call threw through the started module's
 * {@link FailurePolicy} and writes the one exception the caller sees — every store's "was not sent", "got no answer
 * within … (outcome unknown)" and "cancelled by the server" message is written here and nowhere else. Thread-safe.
 */
final class FailureMapper {

    private final Store store;
    private volatile FailurePolicy policy = FailurePolicy::generic;

    FailureMapper(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Installs the started module's policy (calls before this use {@link FailurePolicy#generic}). */
    void policy(FailurePolicy failurePolicy) {
        this.policy = Objects.requireNonNull(failurePolicy, "failurePolicy");
    }

    /**
     * The kind of a failure seen by a call: an SDK exception thrown inside the call (a module's own
     * {@code StoreUnavailableException}, a nested call's timeout) keeps its meaning; anything else goes to the policy.
     */
    Failure classifyCall(Throwable e) {
        Throwable f = Causes.unwrap(e);
        if (f instanceof SuhoException s) {
            FailureKind kind;
            if (s instanceof StoreUnavailableException u) {
                kind = u.breakerOpen() ? FailureKind.CALLER_CODE : FailureKind.UNAVAILABLE;
            } else if (s instanceof StoreTimeoutException te) {
                kind = te.serverReported() ? FailureKind.SERVER_TIMEOUT : FailureKind.TIMEOUT;
            } else {
                kind = FailureKind.CALLER_CODE;
            }
            return new Failure(kind, null, String.valueOf(s.getMessage()), null);
        }
        return classify(f);
    }

    /** The module policy's kind of a driver failure; a policy bug falls back to the generic mapping. */
    Failure classify(Throwable failure) {
        Throwable f = Causes.unwrap(failure);
        try {
            Failure out = policy.classify(f);
            return out != null ? out : FailurePolicy.generic(f);
        } catch (RuntimeException bug) {
            return FailurePolicy.generic(f); // a policy bug must not replace the store's failure
        }
    }

    /** The one place where every store's unavailable/timeout/operation messages are written. */
    RuntimeException map(String operation, Throwable cause, Failure f, Duration limit) {
        if (cause instanceof SuhoException s) {
            return s;
        }
        return switch (f.kind()) {
            case UNAVAILABLE -> new StoreUnavailableException(store, operation + " was not sent: " + f.describe(),
                    false, cause);
            case TIMEOUT -> new StoreTimeoutException(store, operation, limit, false, store.id() + " " + operation
                    + " got no answer within " + ResilienceConfig.format(limit) + " (outcome unknown): "
                    + f.describe(), cause);
            // the server's own limit fired (its value is in the detail), not the call's budget: do not name the latter
            case SERVER_TIMEOUT -> new StoreTimeoutException(store, operation, limit, true, store.id() + " "
                    + operation + " was cancelled by the server at its time limit: " + f.describe(), cause);
            case DUPLICATE_KEY -> new DuplicateKeyException(store, operation, f.errorCode(), message(f), cause);
            case OPERATION_ERROR -> operationError(operation, f, cause);
            case CALLER_CODE -> cause instanceof RuntimeException re ? re
                    : cause instanceof Error err ? propagate(err)
                    : new StoreOperationException(store, operation, null, message(f), cause);
        };
    }

    private static RuntimeException propagate(Error e) {
        throw e;
    }

    private StoreOperationException operationError(String operation, Failure f, Throwable cause) {
        StoreOperationException own = null;
        try {
            own = policy.operationError(operation, f, cause);
        } catch (RuntimeException ignored) {
            // a policy bug: fall back to the plain type below
        }
        return own != null ? own : new StoreOperationException(store, operation, f.errorCode(), message(f), cause);
    }

    /** detail and hint, without the code (StoreOperationException prints the code itself). */
    private static String message(Failure f) {
        return f.hint() == null ? f.detail() : f.detail() + "; " + f.hint();
    }
}
