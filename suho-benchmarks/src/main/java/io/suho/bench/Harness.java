package io.suho.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs an operation's SDK and raw forms interleaved (SDK call, raw call, SDK call, …) on each thread so both see the
 * same server, cache and machine state; warm-up first, then HdrHistogram latencies. ops/s is computed from the time
 * spent in each form, so interleaving does not halve either figure.
 */
public final class Harness {

    /** The outcome of one operation. */
    public record Result(String store, String op, Histogram sdk, Histogram raw, double sdkOpsPerSec,
            double rawOpsPerSec) {

        public double p(Histogram h, double pct) {
            return h.getValueAtPercentile(pct) / 1000.0;
        }

        /** The machine-readable line, exactly as documented. */
        public String resultLine() {
            double sp50 = p(sdk, 50);
            double rp50 = p(raw, 50);
            double sp99 = p(sdk, 99);
            double rp99 = p(raw, 99);
            return String.format(Locale.ROOT,
                    "RESULT store=%s op=%s sdk_p50_us=%.1f raw_p50_us=%.1f p50_ratio=%.3f sdk_p99_us=%.1f "
                            + "raw_p99_us=%.1f p99_ratio=%.3f sdk_ops_s=%.0f raw_ops_s=%.0f",
                    store, op, sp50, rp50, ratio(sp50, rp50), sp99, rp99, ratio(sp99, rp99), sdkOpsPerSec,
                    rawOpsPerSec);
        }

        private static double ratio(double a, double b) {
            return b == 0 ? 0 : a / b;
        }
    }

    private Harness() {
    }

    public static Result run(String store, BenchOperation op, BenchContext ctx) throws Exception {
        runFor(op, ctx.warmup().toNanos(), null, null);
        Histogram sdk = new Histogram(3_600_000_000L, 3);
        Histogram raw = new Histogram(3_600_000_000L, 3);
        long[] spent = runFor(op, ctx.measure().toNanos(), sdk, raw);
        double sdkOps = spent[0] == 0 ? 0 : sdk.getTotalCount() * (double) op.opsPerCall() * 1e9 / spent[0];
        double rawOps = spent[1] == 0 ? 0 : raw.getTotalCount() * (double) op.opsPerCall() * 1e9 / spent[1];
        return new Result(store, op.name(), sdk, raw, sdkOps, rawOps);
    }

    /** Returns nanoseconds spent in {sdk, raw}, summed over threads. */
    private static long[] runFor(BenchOperation op, long nanos, Histogram sdkOut, Histogram rawOut) throws Exception {
        int threads = op.threads();
        List<Thread> workers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[][] spent = new long[threads][2];
        Histogram[][] hist = new Histogram[threads][2];
        for (int i = 0; i < threads; i++) {
            int idx = i;
            hist[i][0] = new Histogram(3_600_000_000L, 3);
            hist[i][1] = new Histogram(3_600_000_000L, 3);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    long end = System.nanoTime() + nanos;
                    boolean sdkFirst = (idx % 2) == 0;
                    while (System.nanoTime() < end && failure.get() == null) {
                        for (int k = 0; k < 2; k++) {
                            boolean sdk = (k == 0) == sdkFirst;
                            long t0 = System.nanoTime();
                            (sdk ? op.sdk() : op.raw()).run();
                            long dt = System.nanoTime() - t0;
                            int slot = sdk ? 0 : 1;
                            spent[idx][slot] += dt;
                            hist[idx][slot].recordValue(Math.max(1, dt));
                        }
                        sdkFirst = !sdkFirst;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-" + op.name() + "-" + i);
            workers.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : workers) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(op.name() + " failed: " + failure.get(), failure.get());
        }
        long[] total = new long[2];
        for (int i = 0; i < threads; i++) {
            total[0] += spent[i][0];
            total[1] += spent[i][1];
            if (sdkOut != null) {
                sdkOut.add(hist[i][0]);
                rawOut.add(hist[i][1]);
            }
        }
        // spent is summed over threads; per-thread wall share gives the throughput of the concurrent callers
        total[0] /= threads;
        total[1] /= threads;
        return total;
    }
}
