package io.suho.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * The SDK's per-call cost with no I/O at all: a call through {@link StoreExecutor} (breaker + timer, with and without
 * the retry policy) against calling the same lambda directly. Run with {@code java -jar suho-benchmarks.jar --jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StoreExecutorBenchmark {
    private ScheduledExecutorService scheduler;
    private StoreExecutor executor;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        executor = new StoreExecutor(Store.CACHE, "bench", new SimpleMeterRegistry(), ResilienceConfig.defaults(),
                e -> StoreExecutor.FailureKind.UNAVAILABLE, null, scheduler);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scheduler.shutdownNow();
    }

    private long work() {
        return ++counter;
    }

    @Benchmark
    public long raw() {
        return work();
    }

    @Benchmark
    public long sdkOnce() {
        return executor.call("get", false, this::work);
    }

    @Benchmark
    public long sdkIdempotent() {
        return executor.call("get", true, this::work);
    }
}
