package io.suho.bench.drill;

import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.test.StoreKind;
import java.util.Optional;
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

    /**
     * Whether the server holds a write with this id right now, asked before an ambiguous write is retried (so the
     * drill learns whether the first attempt had landed). Empty when the store has no lookup by id (a stream or a
     * topic): the drill then reports {@code ambiguous_first_landed=-1}.
     */
    default Optional<Boolean> exists(String id) throws Exception {
        return Optional.empty();
    }

    /**
     * After the run: which of {@code ids} the server holds, counted on raw storage (every copy the server keeps, before
     * any dedup a reader could apply), and what a reader sees after the store's own dedup.
     */
    Account account(Set<String> ids) throws Exception;

    /**
     * What the server holds.
     *
     * @param stored the distinct ids found
     * @param rawCopies extra copies of any id on raw storage: rows, records or messages beyond the first, or a
     *     counter's increments beyond the first
     * @param duplicatesAfterDedup extra copies a reader still sees after the store's dedup ({@code FINAL} in ClickHouse,
     *     the {@code Nats-Msg-Id} window in JetStream); equal to {@code rawCopies} where the store has no dedup, and
     *     0 by construction where the reader dedups by id (Kafka consumers by {@code ce_id}) — the raw figure is the
     *     evidence there
     */
    record Account(Set<String> stored, long rawCopies, long duplicatesAfterDedup) {
    }

    /**
     * A plain driver check that the server serves again, independent of the SDK, run every 10 ms from the moment
     * the drill restarts the server; its first success is {@code server_ready_ms}.
     */
    boolean nativeReady() throws Exception;
}
