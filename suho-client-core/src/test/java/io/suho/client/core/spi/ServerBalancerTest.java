package io.suho.client.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerBalancerTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A clock the test moves by hand. */
    private final long[] now = {1_000_000_000L};

    private ServerBalancer balancer(int n, ServerBalancer.Policy policy) {
        return new ServerBalancer(n, policy, Duration.ofSeconds(10), () -> now[0]);
    }

    /** Runs {@code calls} sequential calls, server i answering in latency[i], the clock moving by each answer. */
    private int[] run(ServerBalancer b, int calls, long... latency) {
        int[] counts = new int[b.size()];
        for (int c = 0; c < calls; c++) {
            int i = b.choose();
            assertThat(i).isNotNegative();
            counts[i]++;
            now[0] += latency[i];
            b.finished(i, latency[i]);
        }
        return counts;
    }

    @Test
    void sendsMostCallsToTheFasterServer() {
        ServerBalancer b = balancer(2, ServerBalancer.Policy.LATENCY);
        int[] counts = run(b, 2000, 1 * MS, 20 * MS);
        assertThat(counts[0]).as("calls on the 1 ms server of %s", java.util.Arrays.toString(counts))
                .isGreaterThan(1900);
        assertThat(b.latencyNanos(0)).isBetween(0.5 * MS, 1.0 * MS);
        assertThat(b.chosen(0) + b.chosen(1)).isEqualTo(2000);
        assertThat(b.inFlight(0) + b.inFlight(1)).isZero();
    }

    @Test
    void aStaleEstimateDecaysWithTimeSoTheSlowServerIsTriedAgain() {
        ServerBalancer b = balancer(2, ServerBalancer.Policy.LATENCY);
        run(b, 200, 1 * MS, 20 * MS);
        assertThat(b.latencyNanos(1)).isGreaterThan(10 * MS);
        now[0] += TimeUnit.SECONDS.toNanos(60); // six time constants without a call on server 1
        assertThat(b.latencyNanos(1)).isLessThan(0.1 * MS);
        b.finished(b.choose(), 1 * MS); // keeps server 0's estimate fresh... unless server 1 was chosen
        int tried = 0;
        for (int c = 0; c < 5; c++) {
            int i = b.choose();
            tried += i == 1 ? 1 : 0;
            b.finished(i, i == 0 ? 1 * MS : 20 * MS);
        }
        assertThat(tried).as("the recovered estimate earns the slow server a call").isPositive();
        assertThat(b.latencyNanos(1)).as("its new sample counts at once").isGreaterThan(10 * MS);
    }

    @Test
    void aDrainedServerGetsNoCallsAndNoneUsableGivesMinusOne() {
        ServerBalancer b = balancer(3, ServerBalancer.Policy.LATENCY);
        b.setWeight(1, 0);
        int[] counts = run(b, 1000, 5 * MS, 1 * MS, 5 * MS);
        assertThat(counts[1]).isZero();
        assertThat(counts[0] + counts[2]).isEqualTo(1000);
        b.setWeight(0, 0);
        b.setUsable(2, false);
        assertThat(b.choose()).isEqualTo(-1);
        b.setWeight(1, 1);
        assertThat(b.choose()).isEqualTo(1);
    }

    @Test
    void aFailingServerIsSkippedUntilMarkedUsable() {
        ServerBalancer b = balancer(2, ServerBalancer.Policy.LATENCY);
        b.setUsable(0, false);
        assertThat(run(b, 100, 1 * MS, 9 * MS)[0]).isZero();
        b.setUsable(0, true);
        assertThat(run(b, 100, 1 * MS, 9 * MS)[0]).isPositive();
    }

    @Test
    void aHigherWeightTakesMoreOfEqualServers() {
        ServerBalancer b = balancer(2, ServerBalancer.Policy.LATENCY);
        b.setWeight(1, 3);
        int[] counts = run(b, 2000, 2 * MS, 2 * MS);
        assertThat(counts[1]).as(java.util.Arrays.toString(counts)).isGreaterThan(counts[0] * 2);
    }

    @Test
    void callsInFlightMakeAServerLookSlower() {
        ServerBalancer b = balancer(2, ServerBalancer.Policy.LATENCY);
        b.setUsable(1, false);
        run(b, 10, 1 * MS, 5 * MS / 2); // server 0 measured at 1 ms
        b.setUsable(0, false);
        b.setUsable(1, true);
        run(b, 10, 1 * MS, 5 * MS / 2); // server 1 measured at 2.5 ms
        b.setUsable(0, true);
        assertThat(b.choose()).as("1 ms x 1 against 2.5 ms").isEqualTo(0);
        assertThat(b.choose()).as("1 ms x 2 against 2.5 ms").isEqualTo(0);
        assertThat(b.choose()).as("1 ms x 3 against 2.5 ms").isEqualTo(1);
    }

    @Test
    void aServerThatStopsAnsweringLosesItsCallsBeforeAnyTimeout() {
        ServerBalancer b = balancer(2, ServerBalancer.Policy.LATENCY);
        run(b, 50, 1 * MS, 3 * MS);
        int stuck = b.choose();
        assertThat(stuck).isEqualTo(0);
        now[0] += 50 * MS; // the call on server 0 hangs; server 1 last answered in 3 ms
        for (int k = 0; k < 20; k++) {
            int i = b.choose();
            assertThat(i).isEqualTo(1);
            b.finished(i, 3 * MS);
        }
        b.finished(stuck, 50 * MS);
    }

    @Test
    void aFreshServerGetsOneCallNotABurst() {
        ServerBalancer b = balancer(2, ServerBalancer.Policy.LATENCY);
        b.setUsable(1, false);
        run(b, 10, 5 * MS, 1 * MS);
        b.setUsable(1, true);
        int first = b.choose();
        assertThat(first).as("never measured: cost 0").isEqualTo(1);
        assertThat(b.choose()).as("its first call still in flight").isEqualTo(0);
    }

    @Test
    void aReleasedCallEndsWithoutChangingTheEstimate() {
        ServerBalancer b = balancer(1, ServerBalancer.Policy.LATENCY);
        run(b, 5, 2 * MS);
        double before = b.latencyNanos(0);
        assertThat(b.choose()).isZero();
        now[0] += TimeUnit.SECONDS.toNanos(3) / 1000; // a 3 ms stream... consumed by the caller
        b.release(0);
        assertThat(b.inFlight(0)).isZero();
        assertThat(b.latencyNanos(0)).isLessThanOrEqualTo(before);
    }

    @Test
    void roundRobinTakesUsableServersInTurn() {
        ServerBalancer b = balancer(3, ServerBalancer.Policy.ROUND_ROBIN);
        b.setWeight(2, 0);
        int[] counts = run(b, 100, 1 * MS, 50 * MS, 1 * MS);
        assertThat(counts).containsExactly(50, 50, 0);
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> new ServerBalancer(1, ServerBalancer.Policy.LATENCY, Duration.ZERO))
                .hasMessageContaining("decay");
        ServerBalancer b = balancer(1, ServerBalancer.Policy.LATENCY);
        assertThatThrownBy(() -> b.setWeight(0, -1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> b.setWeight(0, Double.NaN)).hasMessageContaining("finite");
        assertThat(balancer(0, ServerBalancer.Policy.LATENCY).choose()).isEqualTo(-1);
    }

    @Test
    void choosingAndFinishingAllocateNothing() {
        ServerBalancer b = balancer(3, ServerBalancer.Policy.LATENCY);
        run(b, 20_000, 1 * MS, 2 * MS, 3 * MS); // warm up (and let the JIT compile the loop)
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        long sum = 0;
        for (int c = 0; c < 100_000; c++) {
            int i = b.choose();
            sum += i;
            b.finished(i, (i + 1) * MS);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isNotNegative();
        assertThat(allocated).as("bytes allocated by 100,000 calls").isLessThan(16 * 1024);
    }
}
