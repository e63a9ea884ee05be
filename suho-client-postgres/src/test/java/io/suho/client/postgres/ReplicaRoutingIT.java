package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.test.LatencyProxy;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Latency-aware replica routing against real servers: two "replicas", the real streaming replica and the same replica
 * behind a {@link LatencyProxy} that adds 20 ms to every answer. Reads shift to the fast one; a replica weighing 0
 * gets no reads; with every replica drained reads go to the primary. Asserts shares, never times.
 */
class ReplicaRoutingIT {
    private static final int THREADS = 4;

    private static Map<String, String> twoReplicas(StoreServer replica, LatencyProxy slow, String weights) {
        return Map.of("suho.postgres.replicas", replica.hostPort() + "," + slow.hostPort(),
                "suho.postgres.replica.pool.max-size", "4", "suho.postgres.pool.max-size", "2",
                "suho.postgres.replica.weights", weights);
    }

    private static double reads(SimpleMeterRegistry registry, String host) {
        return registry.get("suho.postgres.replica.reads").tag("host", host).functionCounter().count();
    }

    /** {@code perThread} reads on each of {@link #THREADS} threads; the latency of each, in microseconds. */
    private static long[] readConcurrently(PostgresClient reads, int perThread) throws InterruptedException {
        ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long start = System.nanoTime();
                    reads.queryOne("SELECT 1", rs -> rs.getInt(1));
                    micros.add((System.nanoTime() - start) / 1000);
                }
            }, "reader-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        long[] out = micros.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    @Test
    void readsShiftAwayFromTheSlowReplica(@RealStore(StoreKind.POSTGRES) StoreServer primary,
            @RealStore(StoreKind.POSTGRES_REPLICA) StoreServer replica) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LatencyProxy slow = LatencyProxy.start(replica.host(), replica.port(), Duration.ofMillis(20));
                SuhoClients suho = Clients.open(primary, registry, twoReplicas(replica, slow, ""))) {
            PostgresClient reads = suho.get(PostgresClient.class).reading();
            readConcurrently(reads, 50); // warm-up: both pools open, both estimates measured
            double fastBefore = reads(registry, replica.hostPort());
            double slowBefore = reads(registry, slow.hostPort());
            long[] micros = readConcurrently(reads, 250);
            double fast = reads(registry, replica.hostPort()) - fastBefore;
            double slowReads = reads(registry, slow.hostPort()) - slowBefore;
            double share = fast / (fast + slowReads);
            System.out.printf("RESULT replica-routing latency: fast_share=%.3f reads=%d p50_us=%d p99_us=%d"
                    + " slow_estimate_ms=%.1f%n", share, micros.length, percentile(micros, 0.50),
                    percentile(micros, 0.99), registry.get("suho.postgres.replica.latency").tag("host",
                            slow.hostPort()).gauge().value() * 1000);
            assertThat(fast + slowReads).isEqualTo(THREADS * 250);
            assertThat(share).as("share of reads on the fast replica").isGreaterThanOrEqualTo(0.8);
        }
    }

    @Test
    void aDrainedReplicaGetsNoReadsAndWithAllDrainedReadsGoToThePrimary(
            @RealStore(StoreKind.POSTGRES) StoreServer primary,
            @RealStore(StoreKind.POSTGRES_REPLICA) StoreServer replica) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LatencyProxy slow = LatencyProxy.start(replica.host(), replica.port(), Duration.ofMillis(2));
                SuhoClients suho = Clients.open(primary, registry,
                        twoReplicas(replica, slow, replica.hostPort() + "=0"))) {
            PostgresClient reads = suho.get(PostgresClient.class).reading();
            readConcurrently(reads, 25);
            assertThat(reads(registry, replica.hostPort())).as("reads on the drained, faster replica").isZero();
            assertThat(reads(registry, slow.hostPort())).isEqualTo(THREADS * 25);
            assertThat(registry.get("suho.postgres.replica.weight").tag("host", replica.hostPort()).gauge().value())
                    .isZero();
        }
        try (LatencyProxy slow = LatencyProxy.start(replica.host(), replica.port(), Duration.ZERO);
                SuhoClients suho = Clients.open(primary, new SimpleMeterRegistry(),
                        twoReplicas(replica, slow, replica.hostPort() + "=0," + slow.hostPort() + "=0"))) {
            assertThat(suho.get(PostgresClient.class).reading().queryOne("SELECT pg_is_in_recovery()",
                    rs -> rs.getBoolean(1))).as("every replica drained: the primary serves reads").contains(false);
        }
    }
}
