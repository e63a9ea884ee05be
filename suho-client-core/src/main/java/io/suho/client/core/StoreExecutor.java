package io.suho.client.core;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The per-store call pipeline every store client runs its operations through: a Failsafe circuit breaker, retries
 * with jittered backoff for operations the caller declares idempotent, and the {@code suho.client.requests} timer
 * (tags {@code service}, {@code store}, {@code operation}, {@code outcome}). Timeouts are not scheduled here: the
 * store module hands {@link ResilienceConfig#timeout()} to its driver, which is cheaper and interrupts real I/O.
 *
 * <p>An open breaker rejects a call with {@link StoreUnavailableException} without touching the network. Only
 * failures the module's {@link FailureClassifier} calls {@code UNAVAILABLE} or {@code TIMEOUT} count against the
 * breaker or are retried; a caller error (bad SQL, a constraint) passes straight through. Meters are resolved once
 * per operation name and cached. Thread-safe.
 */
public final class StoreExecutor {

    /** A store operation that may throw the driver's checked exceptions. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /** What kind of failure an exception is, as far as retries, the breaker and metrics are concerned. */
    public enum FailureKind {
        /** The server could not be reached or dropped the connection: retry (if idempotent), count. */
        UNAVAILABLE,
        /** The driver's timeout fired: the outcome is unknown; retry only if idempotent, count. */
        TIMEOUT,
        /** The server answered with an error about this call: never retried, never opens the breaker. */
        CALLER_ERROR
    }

    /** Classifies a driver exception. */
    @FunctionalInterface
    public interface FailureClassifier {
        FailureKind classify(Throwable failure);
    }

    /** Turns a driver exception into the SDK exception the caller sees. */
    @FunctionalInterface
    public interface ExceptionTranslator {
        RuntimeException translate(String operation, Throwable failure, FailureKind kind);
    }

    private static final String[] OUTCOMES = {"success", "error", "rejected", "timeout"};

    private final Store store;
    private final String service;
    private final MeterRegistry registry;
    private final ResilienceConfig config;
    private final FailureClassifier classifier;
    private final ExceptionTranslator translator;
    private final CircuitBreaker<Object> breaker;
    private final FailsafeExecutor<Object> idempotentAsync;
    private final FailsafeExecutor<Object> once;
    private final ConcurrentHashMap<String, Timer[]> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> rejectionMessages = new ConcurrentHashMap<>();
    private final Gauge gauge;
    private final LongAdder calls = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /**
     * @param scheduler used only to delay async retries
     */
    public StoreExecutor(Store store, String service, MeterRegistry registry, ResilienceConfig config,
            FailureClassifier classifier, ExceptionTranslator translator, ScheduledExecutorService scheduler) {
        this.store = Objects.requireNonNull(store, "store");
        this.service = Objects.requireNonNull(service, "service");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.config = Objects.requireNonNull(config, "config");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.translator = translator != null ? translator : this::defaultTranslate;
        this.breaker = CircuitBreaker.builder()
                .handleIf((result, failure) -> failure != null && counts(failure))
                .withFailureThreshold(config.breakerFailureThreshold(), config.breakerWindow())
                .withDelay(config.breakerDelay())
                .withSuccessThreshold(config.breakerSuccessThreshold())
                .build();
        this.once = Failsafe.with(breaker).with(scheduler);
        // Retries for async calls; sync calls retry in call() so the success path costs no more than one breaker.
        RetryPolicy<Object> retry = RetryPolicy.builder()
                .handleIf((result, failure) -> failure != null && !(failure instanceof CircuitBreakerOpenException)
                        && counts(failure))
                .withMaxRetries(config.maxRetries())
                .withBackoff(Math.max(1, config.minBackoff().toMillis()), Math.max(2, config.maxBackoff().toMillis()),
                        java.time.temporal.ChronoUnit.MILLIS)
                .withJitter(0.5)
                .withMaxDuration(retryBudget(config))
                .build();
        this.idempotentAsync = Failsafe.with(retry, breaker).with(scheduler);
        this.gauge = Gauge.builder("suho.client.breaker.state", this, StoreExecutor::breakerStateCode)
                .description("Circuit breaker state of a store: 0 closed, 1 half-open, 2 open")
                .tag("service", service).tag("store", store.id())
                .register(registry);
    }

    private boolean counts(Throwable failure) {
        Throwable f = unwrap(failure);
        return !(f instanceof SuhoException && !(f instanceof StoreUnavailableException))
                && classifier.classify(f) != FailureKind.CALLER_ERROR;
    }

    public Store store() {
        return store;
    }

    public ResilienceConfig config() {
        return config;
    }

    /**
     * Runs {@code call} through the breaker (and retries when {@code idempotent}), timing it under
     * {@code operation}.
     *
     * @throws StoreUnavailableException when the breaker is open or the store did not answer
     * @throws RuntimeException whatever the module's translator makes of a caller error
     */
    @SuppressWarnings("unchecked")
    public <T> T call(String operation, boolean idempotent, Call<T> call) {
        Timer[] t = timers(operation);
        long start = System.nanoTime();
        calls.increment();
        if (rejectNow()) {
            t[2].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw rejection(operation);
        }
        int retries = 0;
        while (true) {
            try {
                T result = (T) once.get(call::call);
                t[0].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return result;
            } catch (Throwable e) {
                if (!idempotent || retries >= config.maxRetries() || !retryable(e)
                        || System.nanoTime() - start > retryBudget(config).toNanos()) {
                    throw fail(operation, t, start, e);
                }
                retries++;
                if (!pause(backoff(retries))) {
                    throw fail(operation, t, start, e);
                }
            }
        }
    }

    /** Open and still within its delay: reject before Failsafe builds its own exception. */
    private boolean rejectNow() {
        return breaker.isOpen() && !breaker.getRemainingDelay().isZero();
    }

    private StoreUnavailableException rejection(String operation) {
        return StoreUnavailableException.rejected(store, rejectionMessages.computeIfAbsent(operation,
                op -> store.id() + " is unavailable: circuit breaker is open (" + op
                        + " rejected without a call; a trial call goes through every "
                        + ResilienceConfig.format(config.breakerDelay()) + ")"));
    }

    private boolean retryable(Throwable e) {
        Throwable f = unwrap(e);
        return !(f instanceof CircuitBreakerOpenException) && counts(f);
    }

    /** Exponential backoff from min to max with ±50 % jitter, in nanoseconds. */
    private long backoff(int retry) {
        long min = config.minBackoff().toNanos();
        long base = Math.min(config.maxBackoff().toNanos(), min << Math.min(20, retry - 1));
        long jitter = (long) (base * 0.5 * (java.util.concurrent.ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return Math.max(0, base + jitter);
    }

    private static boolean pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Retries stop once this much time has passed since the first attempt. */
    private static java.time.Duration retryBudget(ResilienceConfig config) {
        return config.timeout().plus(config.maxBackoff());
    }

    /** {@link #call} for operations without a result. */
    public void run(String operation, boolean idempotent, Call<?> call) {
        call(operation, idempotent, call);
    }

    /**
     * The asynchronous form: {@code call} starts the operation and returns its stage; the returned stage completes
     * with the result or with the translated exception.
     */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> callAsync(String operation, boolean idempotent,
            Supplier<? extends CompletionStage<T>> call) {
        Timer[] t = timers(operation);
        long start = System.nanoTime();
        calls.increment();
        CompletableFuture<T> out = new CompletableFuture<>();
        if (idempotent && config.maxRetries() > 0) {
            CompletableFuture<Object> stage;
            try {
                stage = idempotentAsync.getStageAsync(() -> (CompletionStage<Object>) call.get());
            } catch (Throwable e) {
                out.completeExceptionally(fail(operation, t, start, e));
                return out;
            }
            stage.whenComplete((r, e) -> complete(out, operation, t, start, (T) r, e));
            return out;
        }
        // Single attempt: the breaker is used directly, so no executor hop or scheduled task per call.
        if (!breaker.tryAcquirePermit()) {
            t[2].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            out.completeExceptionally(rejection(operation));
            return out;
        }
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (Throwable e) {
            record(e);
            out.completeExceptionally(fail(operation, t, start, e));
            return out;
        }
        stage.whenComplete((r, e) -> {
            record(e);
            complete(out, operation, t, start, r, e);
        });
        return out;
    }

    private void record(Throwable failure) {
        if (failure != null && counts(failure)) {
            breaker.recordFailure();
        } else {
            breaker.recordSuccess();
        }
    }

    private <T> void complete(CompletableFuture<T> out, String operation, Timer[] t, long start, T result,
            Throwable failure) {
        if (failure == null) {
            t[0].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            out.complete(result);
        } else {
            out.completeExceptionally(fail(operation, t, start, failure));
        }
    }

    private RuntimeException fail(String operation, Timer[] t, long start, Throwable e) {
        long elapsed = System.nanoTime() - start;
        Throwable cause = unwrap(e);
        if (cause instanceof CircuitBreakerOpenException) {
            t[2].record(elapsed, TimeUnit.NANOSECONDS);
            return rejection(operation);
        }
        if (cause instanceof SuhoException s && !(s instanceof StoreUnavailableException)) {
            t[1].record(elapsed, TimeUnit.NANOSECONDS);
            return s;
        }
        FailureKind kind = cause instanceof StoreUnavailableException ? FailureKind.UNAVAILABLE
                : classifier.classify(cause);
        t[kind == FailureKind.TIMEOUT ? 3 : 1].record(elapsed, TimeUnit.NANOSECONDS);
        if (kind != FailureKind.CALLER_ERROR) {
            failures.increment();
        }
        return translator.translate(operation, cause, kind);
    }

    private RuntimeException defaultTranslate(String operation, Throwable failure, FailureKind kind) {
        if (failure instanceof RuntimeException re && failure instanceof SuhoException) {
            return re;
        }
        return switch (kind) {
            case UNAVAILABLE -> new StoreUnavailableException(store, operation + " failed: " + failure, false, failure);
            case TIMEOUT -> new StoreUnavailableException(store, operation + " timed out after "
                    + ResilienceConfig.format(config.timeout()) + " (outcome unknown): " + failure, false, failure);
            case CALLER_ERROR -> new StoreOperationException(store, operation, null, String.valueOf(failure.getMessage()),
                    failure);
        };
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof FailsafeException || t instanceof CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

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

    /** CLOSED, HALF_OPEN or OPEN. */
    public String breakerState() {
        return breaker.getState().name();
    }

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

    /**
     * Tells the breaker the store answered a health check: a half-open or open breaker whose probe succeeds closes
     * sooner than waiting for a user call to find out.
     */
    public void recordHealthy() {
        if (!breaker.isClosed() && breaker.tryAcquirePermit()) {
            breaker.recordSuccess();
        }
    }

    /**
     * Removes this executor's meters from the registry, so a later {@code SuhoClients} with the same service name
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

    /** Calls and store failures since the last call of this method, for heartbeats: {calls, failures}. */
    public long[] drainCounts() {
        return new long[] {calls.sumThenReset(), failures.sumThenReset()};
    }
}
