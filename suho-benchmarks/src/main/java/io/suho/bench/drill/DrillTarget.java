package io.suho.bench.drill;

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
        /** Certainly not stored (rejected by an open breaker, connection refused before sending). */
        NOT_WRITTEN,
        /** May or may not be stored (timed out after sending): retried later with the same id. */
        AMBIGUOUS
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

    /** Classifies a failed write. The default: breaker rejections and refused connections are not written. */
    default FailedWrite classify(Throwable failure) {
        if (failure instanceof StoreUnavailableException u) {
            if (u.breakerOpen()) {
                return FailedWrite.NOT_WRITTEN;
            }
            String m = String.valueOf(u.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("refused") || m.contains("connection is not available") || m.contains("not connected")) {
                return FailedWrite.NOT_WRITTEN;
            }
        }
        return FailedWrite.AMBIGUOUS;
    }

    /** After the run: which of {@code ids} the server holds, and how many extra copies of any id it holds. */
    Account account(Set<String> ids) throws Exception;

    /** What the server holds. */
    record Account(Set<String> stored, long duplicates) {
    }
}
