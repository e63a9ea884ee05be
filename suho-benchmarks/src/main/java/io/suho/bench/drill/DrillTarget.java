package io.suho.bench.drill;

import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.test.StoreKind;
import java.util.Set;

/**
 * One store under an outage drill: idempotent writes keyed by a unique id, reads, and an account of what the server
 * holds afterwards. Implementations use the SDK only (the drill measures the SDK's behaviour).
 */
public interface DrillTarget extends AutoCloseable {

    /** What the outcome of a failed write means for the data. */
    enum FailedWrite {
        /** Not sent ({@link StoreUnavailableException}: breaker open, refused, known down): certainly not stored. */
        NOT_WRITTEN,
        /** Sent or maybe sent, no answer ({@link StoreTimeoutException}): retried later with the same id. */
        AMBIGUOUS,
        /** The store answered with an error ({@link StoreOperationException}): not stored, not retried. */
        ERROR
    }

    /** The {@code --drill} name. */
    String name();

    /** The local-stack store taken away. */
    StoreKind kind();

    /** Creates tables/streams/topics; runs before the load starts. */
    void setUp() throws Exception;

    /** Writes one record whose idempotency key is {@code id}; returns only when the store acknowledged it. */
    void write(String id) throws Exception;

    /** Reads something back (a recent id, or a health-like read). */
    void read(String id) throws Exception;

    /**
     * Classifies a failed write by the SDK's exception type, which says whether the write was sent. Anything else (an
     * exception the SDK did not map) is treated as maybe written.
     */
    default FailedWrite classify(Throwable failure) {
        if (failure instanceof StoreUnavailableException) {
            return FailedWrite.NOT_WRITTEN;
        }
        if (failure instanceof StoreOperationException) {
            return FailedWrite.ERROR;
        }
        return FailedWrite.AMBIGUOUS; // StoreTimeoutException (AmbiguousPublishException too), or unmapped
    }

    /** After the run: which of {@code ids} the server holds, and how many extra copies of any id it holds. */
    Account account(Set<String> ids) throws Exception;

    /** What the server holds. */
    record Account(Set<String> stored, long duplicates) {
    }
}
