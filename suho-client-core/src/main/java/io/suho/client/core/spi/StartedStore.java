package io.suho.client.core.spi;

/**
 * What a store module hands back from {@link StoreModule#start}: how to look up its clients, how to probe the store,
 * how to read its driver's failures, and how to close what it opened. The core builds the rest around it — the
 * call pipeline's failure mapping, timed health with the breaker state, orderly close.
 */
public interface StartedStore extends AutoCloseable {

    /** The client of the given type; the type is one of the module's {@code clientTypes()}. */
    <T> T client(Class<T> type);

    /**
     * Checks the store once, bounded by its timeout. The core times it, adds the breaker state to the detail, and
     * tells the breaker when the store answered. A thrown exception reports DOWN with the policy's description.
     */
    ProbeResult probe() throws Exception;

    /** How this store's driver failures are classified. Called once, right after {@code start} returns. */
    FailurePolicy failurePolicy();

    /** Closes connections and pools; bounded in time. */
    @Override
    void close();
}
