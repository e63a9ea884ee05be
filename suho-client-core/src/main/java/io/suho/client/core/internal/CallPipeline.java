package io.suho.client.core.internal;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.Backoff;
import io.suho.client.core.spi.CallDetail;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.StoreExecutor;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The {@link StoreExecutor} of one started store: Failsafe's {@link CircuitBreaker} used directly (a permit, then the
 * result recorded on it), retries with the SDK's {@link Backoff}, a cached {@link Timer} per operation and outcome,
 * and the failure mapping through the module's {@link FailurePolicy} (classification and the exception the caller
 * sees are {@link FailureMapper}'s). With an {@code ObservationRegistry}, each call (its retries included) is also
 * one Micrometer observation ({@link CallObserver}); without one, one null check is all that costs.
 *
 * <p><b>The success path takes no lock and allocates nothing.</b> Failsafe records every outcome under the breaker's
 * monitor. While the breaker is closed and its window holds no failure, recording one more success changes nothing
 * (the outcome it pushes out of the count-based window is a success too), so it is skipped: a call then costs a
 * volatile read for the permit, one for {@link #clean}, the {@code nanoTime} pair and the timer. The first failure
 * clears {@link #clean}; from then on every outcome is recorded until the window holds no failure again. A success
 * that races with a failure on another thread may go unrecorded, which only keeps that failure in the window longer
 * (more cautious, never less). Thread-safe.
 *
 * <p>Why this class is longer than the project's ~400-line guide: its three call forms (synchronous, budgeted,
 * asynchronous) share the breaker, the {@link #clean} flag and the per-operation timers, and each form's success
 * path has to read and write them without a lock or an extra indirection. Failure mapping ({@link FailureMapper}) and
 * observations ({@link CallObserver}) are already their own classes; splitting further would spread that shared
 * state over several classes for no fewer lines.
 */
public final class CallPipeline implements StoreExecutor {
    private static final int SUCCESS = 0;
    private static final int ERROR = 1;
    private static final int REJECTED = 2;
    private static final int TIMEOUT = 3;
    private static final String[] OUTCOMES = {"success", "error", "rejected", "timeout"};

    private final Store store;
    private final String service;
    private final MeterRegistry registry;
    private final ResilienceConfig config;
    private final Backoff backoff;
    private final long retryBudgetNanos;
    private final CircuitBreaker<Object> breaker;
    private final FailsafeExecutor<Object> idempotentAsync;
    private final ConcurrentHashMap<String, Timer[]> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> rejectionMessages = new ConcurrentHashMap<>();
    private final Gauge gauge;
    private final LongAdder storeFaults = new LongAdder();
    /** Calls counted by the timers at the last {@link #drainCounts()}; guarded by {@code this}. */
    private long drainedCalls;
    private final FailureMapper failures;
    /** True while the breaker is closed with no failure in its window: successes need not be recorded. */
    private volatile boolean clean = true;
    /** The calls' observations; {@code null} when the application gave no {@code ObservationRegistry}. */
    private final CallObserver observer;

    /**
     * @param scheduler delays async retries only
     */
    public CallPipeline(Store store, String service, MeterRegistry registry, ResilienceConfig config,
            ScheduledExecutorService scheduler) {
        this(store, service, registry, config, scheduler, null, null);
    }

    /**
     * A pipeline whose calls are also observed on {@code observations} ({@link CallObserver}); with {@code null} or
     * {@link ObservationRegistry#NOOP} nothing is observed and a call costs what it costs without this.
     *
     * @param suhoConfig where the observation's static attributes (database, server) are read from
     */
    public CallPipeline(Store store, String service, MeterRegistry registry, ResilienceConfig config,
            ScheduledExecutorService scheduler, ObservationRegistry observations, SuhoConfig suhoConfig) {
        this.observer = observations == null || observations == ObservationRegistry.NOOP ? null
                : new CallObserver(observations, store, service, suhoConfig);
        this.store = Objects.requireNonNull(store, "store");
        this.service = Objects.requireNonNull(service, "service");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.config = Objects.requireNonNull(config, "config");
        this.failures = new FailureMapper(store);
        this.backoff = Backoff.of(config);
        this.retryBudgetNanos = config.timeout().plus(config.maxBackoff()).toNanos();
        this.breaker = CircuitBreaker.builder()
                .handleIf((result, failure) -> failure != null && counts(failure))
                .withFailureThreshold(config.breakerFailureThreshold(), config.breakerWindow())
                .withDelay(config.breakerDelay())
                .withSuccessThreshold(config.breakerSuccessThreshold())
                .onOpen(e -> clean = false)
                .onFailure(e -> clean = false) // outcomes recorded by Failsafe itself (the async retry path)
                .build();
        RetryPolicy<Object> retry = RetryPolicy.builder()
                .handleIf((result, failure) -> failure != null && !(failure instanceof CircuitBreakerOpenException)
                        && counts(failure))
                .withMaxRetries(config.maxRetries())
                .withBackoff(Math.max(1, config.minBackoff().toMillis()), Math.max(2, config.maxBackoff().toMillis()),
                        ChronoUnit.MILLIS)
                .withJitter(0.5) // the same ±50 % rule as Backoff
                .withMaxDuration(Duration.ofNanos(retryBudgetNanos))
                .build();
        this.idempotentAsync = Failsafe.with(retry, breaker).with(scheduler);
        this.gauge = Gauge.builder("suho.client.breaker.state", this, CallPipeline::breakerStateCode)
                .description("Circuit breaker state of a store: 0 closed, 1 half-open, 2 open")
                .tag("service", service).tag("store", store.id())
                .register(registry);
    }

    /** Installs the started module's policy (calls before this use {@link FailurePolicy#generic}). */
    public void policy(FailurePolicy failurePolicy) {
        failures.policy(failurePolicy);
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public ResilienceConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- sync

    @Override
    public <T> T call(String operation, boolean idempotent, Call<T> call) {
        if (observer != null) {
            return observer.call(operation, null, () -> attempts(operation, idempotent, call));
        }
        return attempts(operation, idempotent, call);
    }

    @Override
    public <T> T call(String operation, CallDetail detail, boolean idempotent, Call<T> call) {
        if (observer != null) {
            return observer.call(operation, detail, () -> attempts(operation, idempotent, call));
        }
        return attempts(operation, idempotent, call);
    }

    @Override
    public <T> T process(String operation, CallDetail detail, Call<T> handler) throws Exception {
        if (observer != null) {
            return observer.process(operation, detail, handler);
        }
        try (CallObserver.TraceMdc mdc = CallObserver.TraceMdc.from(detail.traceHeaders())) {
            return handler.call();
        }
    }

    @Override
    public <T> T observe(String operation, CallDetail detail, Call<T> work) throws Exception {
        return observer != null ? observer.observe(operation, detail, work) : work.call();
    }

    private <T> T attempts(String operation, boolean idempotent, Call<T> call) {
        Timer[] t = timers(operation);
        long start = System.nanoTime();
        if (!breaker.tryAcquirePermit()) {
            return reject(operation, t, start);
        }
        // The retry loop stays in this method and {@code call} is handed to no other method, so once the JIT inlines
        // this into the caller the caller's lambda need not be allocated at all.
        Throwable failure = null;
        Failure f = null;
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0 && !mayRetry(idempotent, f, attempt, start)) {
                throw fail(operation, t, start, failure, f, config.timeout());
            }
            T result;
            try {
                result = call.call();
            } catch (Throwable e) {
                failure = e;
                f = recordFailure(e);
                continue;
            }
            succeeded();
            t[SUCCESS].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        }
    }

    /**
     * Before a retry of a sync call: a store fault of an idempotent call, retries left, within timeout + max backoff
     * of the start, after the backoff, and the breaker still lets it through (when it opened meanwhile the caller
     * gets the failure of the attempt that reached the store, not a rejection).
     */
    private boolean mayRetry(boolean idempotent, Failure f, int attempt, long start) {
        return idempotent && f.kind().storeFault() && attempt <= config.maxRetries()
                && System.nanoTime() - start <= retryBudgetNanos && pause(backoff.delayNanos(attempt))
                && breaker.tryAcquirePermit();
    }

    @Override
    public <T> T call(String operation, boolean idempotent, Duration budget, BudgetedCall<T> call) {
        Objects.requireNonNull(budget, "budget");
        if (observer != null) {
            return observer.call(operation, null, () -> attemptsWithin(operation, idempotent, budget, call));
        }
        return attemptsWithin(operation, idempotent, budget, call);
    }

    @Override
    public <T> T call(String operation, CallDetail detail, boolean idempotent, Duration budget, BudgetedCall<T> call) {
        Objects.requireNonNull(budget, "budget");
        if (observer != null) {
            return observer.call(operation, detail, () -> attemptsWithin(operation, idempotent, budget, call));
        }
        return attemptsWithin(operation, idempotent, budget, call);
    }

    private <T> T attemptsWithin(String operation, boolean idempotent, Duration budget, BudgetedCall<T> call) {
        Timer[] t = timers(operation);
        long start = System.nanoTime();
        long budgetNanos = Math.max(1, budget.toNanos());
        long reserve = idempotent ? Math.min(backoff.worstCaseNanos(config.maxRetries()), budgetNanos / 4) : 0;
        Throwable failure = null;
        Failure f = null;
        for (int attempt = 0; ; attempt++) {
            long left = start + budgetNanos - reserve - System.nanoTime();
            if (attempt > 0 && (!idempotent || !f.kind().storeFault() || attempt > config.maxRetries()
                    || left < budgetNanos / 2 || !pause(Math.min(backoff.delayNanos(attempt), left / 2)))) {
                throw fail(operation, t, start, failure, f, budget);
            }
            if (!breaker.tryAcquirePermit()) {
                if (failure != null) {
                    throw fail(operation, t, start, failure, f, budget);
                }
                return reject(operation, t, start);
            }
            left = start + budgetNanos - reserve - System.nanoTime();
            T result;
            try {
                result = call.call(Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), left)));
            } catch (Throwable e) {
                failure = e;
                f = recordFailure(e);
                continue;
            }
            succeeded();
            t[SUCCESS].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        }
    }

    private <T> T reject(String operation, Timer[] t, long start) {
        t[REJECTED].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        throw rejection(operation);
    }

    private StoreUnavailableException rejection(String operation) {
        return StoreUnavailableException.rejected(store, rejectionMessages.computeIfAbsent(operation,
                op -> store.id() + " is unavailable: circuit breaker is open (" + op
                        + " rejected without a call; a trial call goes through every "
                        + ResilienceConfig.format(config.breakerDelay()) + ")"));
    }

    private void succeeded() {
        if (!clean) {
            breaker.recordSuccess();
            if (breaker.isClosed() && breaker.getFailureCount() == 0) {
                clean = true;
            }
        }
    }

    /** Records a failed attempt on the breaker (a non-store failure is a success: the store answered). */
    private Failure recordFailure(Throwable e) {
        Failure f = failures.classifyCall(e);
        if (f.kind().storeFault()) {
            clean = false;
            breaker.recordFailure();
            clean = false; // again: a success on another thread may have set it meanwhile
        } else {
            succeeded();
        }
        return f;
    }

    private static boolean pause(long nanos) {
        if (nanos <= 0) {
            return true;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---------------------------------------------------------------- async

    @Override
    public <T> CompletionStage<T> callAsync(String operation, boolean idempotent,
            Supplier<? extends CompletionStage<T>> call) {
        return callAsync(operation, null, idempotent, call);
    }

    @Override
    public <T> CompletionStage<T> callAsync(String operation, CallDetail detail, boolean idempotent,
            Supplier<? extends CompletionStage<T>> call) {
        if (observer != null) {
            return observer.callAsync(operation, detail, () -> startAsync(operation, idempotent, call));
        }
        return startAsync(operation, idempotent, call);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletionStage<T> startAsync(String operation, boolean idempotent,
            Supplier<? extends CompletionStage<T>> call) {
        Timer[] t = timers(operation);
        long start = System.nanoTime();
        CompletableFuture<T> out = new CompletableFuture<>();
        if (idempotent && config.maxRetries() > 0) {
            CompletableFuture<Object> stage;
            try {
                stage = idempotentAsync.getStageAsync(() -> (CompletionStage<Object>) call.get());
            } catch (Throwable e) {
                out.completeExceptionally(failAsync(operation, t, start, e));
                return out;
            }
            stage.whenComplete((r, e) -> complete(out, operation, t, start, (T) r, e));
            return out;
        }
        // Single attempt: the breaker is used directly, so no executor hop or scheduled task per call.
        if (!breaker.tryAcquirePermit()) {
            t[REJECTED].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            out.completeExceptionally(rejection(operation));
            return out;
        }
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (Throwable e) {
            out.completeExceptionally(fail(operation, t, start, e, recordFailure(e), config.timeout()));
            return out;
        }
        stage.whenComplete((r, e) -> {
            if (e == null) {
                succeeded();
                t[SUCCESS].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                out.complete(r);
            } else {
                out.completeExceptionally(fail(operation, t, start, e, recordFailure(e), config.timeout()));
            }
        });
        return out;
    }

    private <T> void complete(CompletableFuture<T> out, String operation, Timer[] t, long start, T result,
            Throwable failure) {
        if (failure == null) {
            t[SUCCESS].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            out.complete(result);
        } else {
            out.completeExceptionally(failAsync(operation, t, start, failure));
        }
    }

    /** A failure of the Failsafe-driven path, whose breaker outcomes Failsafe recorded already. */
    private RuntimeException failAsync(String operation, Timer[] t, long start, Throwable e) {
        Throwable cause = Causes.unwrap(e);
        if (cause instanceof CircuitBreakerOpenException) {
            t[REJECTED].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return rejection(operation);
        }
        return fail(operation, t, start, cause, failures.classifyCall(cause), config.timeout());
    }

    // ---------------------------------------------------------------- failures

    /** Failures the breaker counts (used by Failsafe on the async retry path). */
    private boolean counts(Throwable failure) {
        return failures.classifyCall(failure).kind().storeFault();
    }

    @Override
    public Failure classify(Throwable failure) {
        return failures.classify(failure);
    }

    private RuntimeException fail(String operation, Timer[] t, long start, Throwable e, Failure f, Duration limit) {
        long elapsed = System.nanoTime() - start;
        t[f.kind().timedOut() ? TIMEOUT : ERROR].record(elapsed, TimeUnit.NANOSECONDS);
        if (f.kind().storeFault()) {
            storeFaults.increment();
        }
        return failures.map(operation, Causes.unwrap(e), f, limit);
    }

    @Override
    public RuntimeException failure(String operation, Throwable failure) {
        Throwable f = Causes.unwrap(failure);
        return failures.map(operation, f, failures.classifyCall(f), config.timeout());
    }

    // ---------------------------------------------------------------- meters, state

    private Timer[] timers(String operation) {
        Timer[] t = timers.get(operation);
        return t != null ? t : timers.computeIfAbsent(operation, this::newTimers);
    }

    private Timer[] newTimers(String operation) {
        Timer[] t = new Timer[OUTCOMES.length];
        for (int i = 0; i < OUTCOMES.length; i++) {
            t[i] = Timer.builder("suho.client.requests")
                    .description("Calls from the Suho SDK to a store")
                    .tag("service", service).tag("store", store.id())
                    .tag("operation", operation).tag("outcome", OUTCOMES[i])
                    .register(registry);
        }
        return t;
    }

    @Override
    public String breakerState() {
        return breaker.getState().name();
    }

    @Override
    public boolean breakerOpen() {
        return breaker.isOpen();
    }

    /** 0 closed, 1 half-open, 2 open — the gauge value. */
    public int breakerStateCode() {
        return switch (breaker.getState()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    @Override
    public void recordHealthy() {
        if (!breaker.isClosed() && breaker.tryAcquirePermit()) {
            breaker.recordSuccess();
        }
    }

    /**
     * Calls and store failures since the last call of this method, for heartbeats: {calls, failures}. Calls are read
     * from the {@code suho.client.requests} timers (every call, rejections included, is recorded on exactly one), so
     * the success path counts nothing twice.
     */
    public synchronized long[] drainCounts() {
        long total = 0;
        for (Timer[] ts : timers.values()) {
            for (Timer timer : ts) {
                total += timer.count();
            }
        }
        long calls = Math.max(0, total - drainedCalls);
        drainedCalls = total;
        return new long[] {calls, storeFaults.sumThenReset()};
    }

    /**
     * Removes this pipeline's meters from the registry, so a later {@code SuhoClients} with the same service name
     * registers fresh ones instead of finding gauges bound to this closed instance.
     */
    public void close() {
        registry.remove(gauge);
        for (Timer[] ts : timers.values()) {
            for (Timer t : ts) {
                registry.remove(t);
            }
        }
        timers.clear();
    }
}
