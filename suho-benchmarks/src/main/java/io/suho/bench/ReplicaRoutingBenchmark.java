package io.suho.bench;

import io.suho.client.core.spi.ServerBalancer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What choosing a PostgreSQL read replica costs per call, no I/O, exactly as a replica read does it: a
 * {@code nanoTime} before, {@code choose(now)}, a {@code nanoTime} after, {@code finished(i, latency, now)} —
 * {@link ServerBalancer} with the latency policy (power of two choices over the decayed peak EWMA) and in
 * round-robin mode; {@link #twoClockReads}, the two {@code nanoTime} reads alone (the floor of any latency-aware
 * router); and {@link #plainRoundRobin} — the router the SDK had before (an {@code AtomicInteger} and a health flag
 * per replica, no timing). Three replicas, one of them slower.
 * With {@code -t 2} both threads share one balancer. Run with
 * {@code java -jar suho-benchmarks.jar --jmh ReplicaRoutingBenchmark -prof gc -t 1,2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplicaRoutingBenchmark {
    private static final long[] LATENCY_NANOS = {400_000, 450_000, 20_000_000};

    /** One set of routers for all threads. */
    @State(Scope.Benchmark)
    public static class Routers {
        final ServerBalancer latency = new ServerBalancer(3, ServerBalancer.Policy.LATENCY, Duration.ofSeconds(10));
        final ServerBalancer roundRobin = new ServerBalancer(3, ServerBalancer.Policy.ROUND_ROBIN,
                Duration.ofSeconds(10));
        final AtomicInteger turn = new AtomicInteger();
        final Healthy[] healthy = {new Healthy(), new Healthy(), new Healthy()};
    }

    /** The old router's per-replica state: a volatile health flag. */
    static final class Healthy {
        volatile boolean up = true;
    }

    @Benchmark
    public int latency(Routers r) {
        int i = r.latency.choose(System.nanoTime());
        r.latency.finished(i, LATENCY_NANOS[i], System.nanoTime());
        return i;
    }

    @Benchmark
    public int roundRobin(Routers r) {
        int i = r.roundRobin.choose(System.nanoTime());
        r.roundRobin.finished(i, LATENCY_NANOS[i], System.nanoTime());
        return i;
    }

    @Benchmark
    public long twoClockReads() {
        return System.nanoTime() ^ System.nanoTime();
    }

    /** The SDK's round robin before latency-aware routing (Topology.readTarget of issue 18). */
    @Benchmark
    public int plainRoundRobin(Routers r) {
        Healthy[] rs = r.healthy;
        int n = rs.length;
        int start = r.turn.getAndIncrement();
        for (int i = 0; i < n; i++) {
            int k = Math.floorMod(start + i, n);
            if (rs[k].up) {
                return k;
            }
        }
        return -1;
    }
}
