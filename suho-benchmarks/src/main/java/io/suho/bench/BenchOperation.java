package io.suho.bench;

import java.util.Objects;

/**
 * One measured operation in two forms: through the SDK and through the raw driver, doing the same work.
 *
 * @param name the {@code op=} name in the RESULT line, e.g. {@code select_one}
 * @param sdk the SDK form
 * @param raw the raw-driver form
 * @param threads concurrent callers (1 for latency, more for throughput scenarios)
 * @param opsPerCall how many logical operations one call performs (rows, messages), for ops/s
 */
public record BenchOperation(String name, Action sdk, Action raw, int threads, int opsPerCall) {

    /** A single call of an operation. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    public BenchOperation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sdk, "sdk");
        Objects.requireNonNull(raw, "raw");
        if (threads < 1 || opsPerCall < 1) {
            throw new IllegalArgumentException("threads and opsPerCall must be >= 1");
        }
    }

    public static BenchOperation of(String name, Action sdk, Action raw) {
        return new BenchOperation(name, sdk, raw, 1, 1);
    }
}
