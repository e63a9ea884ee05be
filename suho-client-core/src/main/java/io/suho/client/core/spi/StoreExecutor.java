package io.suho.client.core.spi;

import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One store's call pipeline, built by the core for each started store module: the circuit breaker, retries with
 * {@link Backoff} for calls declared idempotent, the {@code suho.client.requests} timer (tags {@code service},
 * {@code store}, {@code operation}, {@code outcome}) and the mapping of failures through the module's
 * {@link FailurePolicy} to the exception the caller sees. Every client operation of a store goes through it.
 *
 * <p>Timeouts are not scheduled here: a module hands {@link ResilienceConfig#timeout()} (or a call's budget) to its
 * driver, which is cheaper and interrupts real I/O. An open breaker rejects a call with a stackless
 * {@code StoreUnavailableException} before any I/O. A retry that the breaker turns away reports the previous
 * attempt's failure (which did reach the store), not a rejection. Thread-safe.
 */
public interface StoreExecutor {

    /** A store operation that may throw the driver's checked exceptions. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    /** An attempt of a call with a whole-call budget: it gets the time it may spend, for its driver's timeout. */
    @FunctionalInterface
    interface BudgetedCall<T> {
        T call(Duration attemptTimeout) throws Exception;
    }

    /** The store this pipeline serves. */
    Store store();

    /** The store's resolved resilience settings. */
    ResilienceConfig config();

    /**
     * Runs {@code call} through the breaker (and retries when {@code idempotent}), timing it under {@code operation}.
     * A retry starts only while the time since the call began is below {@code timeout + max-backoff}.
     *
     * @throws io.suho.client.core.StoreUnavailableException not sent (breaker open, refused)
     * @throws io.suho.client.core.StoreTimeoutException sent or maybe sent, no answer
     * @throws io.suho.client.core.StoreOperationException the store answered with an error
     */
    <T> T call(String operation, boolean idempotent, Call<T> call);

    /** {@link #call} for operations without a result. */
    default void run(String operation, boolean idempotent, Call<?> call) {
        call(operation, idempotent, call);
    }

    /**
     * {@link #call} with a whole-call deadline: every attempt, retries and their backoff included, fits in
     * {@code budget}. Each attempt is told how long it may take (what is left of the budget after reserving the
     * retries' worst-case backoff) and should hand that to its driver. A retry only does I/O while at least half the
     * budget is left — right after a quick failure (a refused connect, a stale pooled connection); after a slow one
     * (a timeout against a hung server) the previous failure is reported, so a caller is never held for two timeouts.
     * A timeout is reported with {@code budget} as its {@code timeout()}.
     */
    <T> T call(String operation, boolean idempotent, Duration budget, BudgetedCall<T> call);

    /**
     * The asynchronous form: {@code call} starts the operation and returns its stage; the returned stage completes
     * with the result or with the mapped exception. Retries (idempotent only) are delayed on the SDK's scheduler.
     */
    <T> CompletionStage<T> callAsync(String operation, boolean idempotent,
            Supplier<? extends CompletionStage<T>> call);

    /**
     * {@link #call(String, boolean, Call)} with what the call's observation should say about it: its destination,
     * its statement, and — for a call that sends a message ({@link CallDetail#sending}) — the trace headers the
     * observation writes into {@code detail} before {@code call} runs, for the module to put on the message.
     */
    default <T> T call(String operation, CallDetail detail, boolean idempotent, Call<T> call) {
        return call(operation, idempotent, call);
    }

    /**
     * {@link #call(String, boolean, Duration, BudgetedCall)} with what the call's observation should say about it
     * (its statement, recorded only with {@code suho.observation.statements=true}).
     */
    default <T> T call(String operation, CallDetail detail, boolean idempotent, Duration budget,
            BudgetedCall<T> call) {
        return call(operation, idempotent, budget, call);
    }

    /** {@link #callAsync(String, boolean, Supplier)} with what the call's observation should say about it. */
    default <T> CompletionStage<T> callAsync(String operation, CallDetail detail, boolean idempotent,
            Supplier<? extends CompletionStage<T>> call) {
        return callAsync(operation, idempotent, call);
    }

    /**
     * Runs {@code work} — a step inside a call that is already going through this pipeline, such as a statement of
     * an open transaction or an outbox append — as an observation of its own, without breaker, retry or timer. A
     * {@link CallDetail#sending} detail makes it a producer observation whose trace headers are in {@code detail}
     * when {@code work} runs (an outbox row stores them for the relay). Exceptions pass through as they are.
     */
    default <T> T observe(String operation, CallDetail detail, Call<T> work) throws Exception {
        return work.call();
    }

    /**
     * Runs the handler of a message received from this store ({@link CallDetail#received}, with the headers it came
     * with) as a consumer observation that continues the sender's trace, with {@code traceId} and {@code spanId} in
     * the SLF4J MDC while it runs. Not a store call: no breaker, retry or timer; the handler's exceptions pass
     * through as they are.
     */
    default <T> T process(String operation, CallDetail detail, Call<T> handler) throws Exception {
        return handler.call();
    }

    /**
     * The exception a caller should see for a failure met outside {@link #call} (a statement inside an open
     * transaction, a background loop); records nothing. Already-mapped SDK exceptions are returned as they are.
     */
    RuntimeException failure(String operation, Throwable failure);

    /** The module's classification of a failure (the same one {@link #call} uses). */
    Failure classify(Throwable failure);

    /** CLOSED, HALF_OPEN or OPEN. */
    String breakerState();

    /** True while the breaker is open (calls are rejected without I/O until its delay has passed). */
    boolean breakerOpen();

    /**
     * Tells the breaker the store answered outside a call — a reconnected driver's {@code PING} came back — so an
     * open or half-open breaker closes as soon as its delay allows instead of after a failed trial call. The core's
     * health probe does the same after an UP probe.
     */
    void recordHealthy();
}
