package io.suho.bench;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.core.spi.StoreModule;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SDK's per-call cost with no I/O, beside what a team would write by hand: a call through core's call pipeline
 * (the {@link StoreExecutor} every store client calls; breaker permit + timer, once and idempotent), the same lambda
 * alone, Resilience4j's
 * {@code CircuitBreaker} with a Micrometer {@link Timer} (hand-written, and through its decorator), and
 * {@code Failsafe.with(breaker).get(...)} inside {@code Timer.record}. {@link #timerOnly} is the floor they all share
 * (two {@code nanoTime} reads and a timer record). Run with {@code java -jar suho-benchmarks.jar --jmh [JMH options]}
 * (see {@link JmhTable}).
 *
 * <p>All variants use the same breaker settings ({@link ResilienceConfig#defaults()}: open at 5 failures of the last
 * 10 calls, half-open after 250 ms), one {@link SimpleMeterRegistry} with timers registered up front, and the same
 * per-thread {@link Caller#work()}. The SDK and the decorated forms take it as a capturing lambda, as a user's call
 * site would (that lambda is the SDK's 16 B/op); the hand-written {@link #resilience4j} calls it inline, the leanest
 * form there is, so ratios against it are conservative. The benchmarked call writes nothing shared: with
 * {@code -t 2} both threads go through ONE pipeline / breaker / timer ({@link Shared}), and each thread has its own
 * {@link Caller}, so what contends is only what the wrapper itself shares.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallPipelineBenchmark {

    /** The store call of one benchmark thread: a private write and a value the JIT cannot fold away. */
    @State(Scope.Thread)
    public static class Caller {
        private final String value = "v";
        private long calls;

        String work() {
            calls++;
            return value;
        }
    }

    /**
     * What every thread of a trial shares, as a service shares one store: the pipeline, the breakers, the timers. The
     * pipeline is the one a {@link SuhoClients} builds for a started store, reached through a module built in code
     * ({@link PipelineOnly}) instead of a store client, so no driver starts and nothing else is on the call path.
     */
    @State(Scope.Benchmark)
    public static class Shared {
        private SuhoClients suho;
        private StoreExecutor pipeline;
        private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreaker;
        private Timer r4jSuccess;
        private Timer r4jError;
        private FailsafeExecutor<Object> failsafe;
        private Timer failsafeTimer;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            ResilienceConfig config = ResilienceConfig.defaults();
            MeterRegistry registry = new SimpleMeterRegistry();
            suho = SuhoClients.builder()
                    .serviceName("bench")
                    .environment(Map.of())
                    .systemProperties(new Properties())
                    .classLoader(new ClassLoader(null) { }) // finds no store module: only PipelineOnly serves
                    .module(new PipelineOnly())
                    .resilience(Store.CACHE, config)
                    .meterRegistry(registry)
                    .endpointCacheFile(Files.createTempDirectory("bench-pipeline").resolve("endpoints.json"))
                    .build();
            pipeline = suho.get(StoreExecutor.class);

            r4jBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench", CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(config.breakerWindow())
                    .minimumNumberOfCalls(config.breakerWindow())
                    .failureRateThreshold(100f * config.breakerFailureThreshold() / config.breakerWindow())
                    .waitDurationInOpenState(config.breakerDelay())
                    .permittedNumberOfCallsInHalfOpenState(config.breakerSuccessThreshold())
                    .build());
            r4jSuccess = timer(registry, "bench.r4j", "success");
            r4jError = timer(registry, "bench.r4j", "error");

            failsafe = Failsafe.with(dev.failsafe.CircuitBreaker.builder()
                    .withFailureThreshold(config.breakerFailureThreshold(), config.breakerWindow())
                    .withDelay(config.breakerDelay())
                    .withSuccessThreshold(config.breakerSuccessThreshold())
                    .build());
            failsafeTimer = timer(registry, "bench.failsafe", "success");
        }

        private static Timer timer(MeterRegistry registry, String name, String outcome) {
            return Timer.builder(name).tag("store", "cache").tag("operation", "get").tag("outcome", outcome)
                    .register(registry);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            suho.close();
        }
    }

    /**
     * A store module whose only client is its own call pipeline ({@link StoreContext#executor()}): what a store
     * client's every operation goes through, with no driver behind it. Failures are classified by
     * {@link FailurePolicy#generic}, as before a module's own policy is installed.
     */
    public static final class PipelineOnly implements StoreModule {
        @Override
        public Store store() {
            return Store.CACHE;
        }

        @Override
        public Set<Class<?>> clientTypes() {
            return Set.of(StoreExecutor.class);
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            return List.of();
        }

        @Override
        public StartedStore start(StoreContext context) {
            StoreExecutor executor = context.executor();
            return new StartedStore() {
                @Override
                public <T> T client(Class<T> type) {
                    return type.cast(executor);
                }

                @Override
                public ProbeResult probe() {
                    return ProbeResult.up(Map.of());
                }

                @Override
                public FailurePolicy failurePolicy() {
                    return FailurePolicy::generic;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** The lambda alone: the floor every wrapper adds to. */
    @Benchmark
    public String raw(Caller caller) throws Exception {
        StoreExecutor.Call<String> call = () -> caller.work();
        return call.call();
    }

    /** One {@code System.nanoTime()}: every timed call reads it twice, so it is a large part of the floor. */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /**
     * What every wrapper here pays whatever its breaker: two {@code System.nanoTime()} reads around the call and one
     * {@code Timer.record(nanos)} on a cached timer (no breaker).
     */
    @Benchmark
    public String timerOnly(Shared shared, Caller caller) throws Exception {
        StoreExecutor.Call<String> call = () -> caller.work();
        long start = System.nanoTime();
        String result = call.call();
        shared.r4jSuccess.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return result;
    }

    /** A non-idempotent SDK call: breaker permit, the call, the success timer. */
    @Benchmark
    public String sdkOnce(Shared shared, Caller caller) {
        return shared.pipeline.call("get", false, () -> caller.work());
    }

    /** An idempotent SDK call (retries allowed; on success it is the same path as {@link #sdkOnce}). */
    @Benchmark
    public String sdkIdempotent(Shared shared, Caller caller) {
        return shared.pipeline.call("get", true, () -> caller.work());
    }

    /**
     * Resilience4j as a team would hand-write it around a store call: a permit, the call, the outcome with its
     * duration on the breaker, and the same duration on a cached Micrometer timer.
     */
    @Benchmark
    public String resilience4j(Shared shared, Caller caller) throws Exception {
        io.github.resilience4j.circuitbreaker.CircuitBreaker breaker = shared.r4jBreaker;
        breaker.acquirePermission();
        long start = System.nanoTime();
        try {
            String result = caller.work();
            long nanos = System.nanoTime() - start;
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            shared.r4jSuccess.record(nanos, TimeUnit.NANOSECONDS);
            return result;
        } catch (Exception e) {
            long nanos = System.nanoTime() - start;
            breaker.onError(nanos, TimeUnit.NANOSECONDS, e);
            shared.r4jError.record(nanos, TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    /**
     * Resilience4j the shortest way a team would write it: {@code executeSupplier} (the decorator) inside
     * {@code Timer.record(Supplier)}. For reading the table; the ratios use the leaner {@link #resilience4j}.
     */
    @Benchmark
    public String resilience4jDecorated(Shared shared, Caller caller) {
        return shared.r4jSuccess.record(() -> shared.r4jBreaker.executeSupplier(() -> caller.work()));
    }

    /** A hand-written Failsafe executor (breaker only) inside {@code Timer.record}. */
    @Benchmark
    public String failsafe(Shared shared, Caller caller) {
        return shared.failsafeTimer.record(() -> shared.failsafe.get(() -> caller.work()));
    }
}
