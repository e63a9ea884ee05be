package io.suho.bench.drill;

import io.suho.client.core.StoreUnavailableException;
import io.suho.test.LocalStack;
import io.suho.test.StoreKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * An outage drill: steady write+read load through the SDK from 4 threads (every write with a unique id), the local
 * server taken away ({@code stop} = graceful, {@code kill} = SIGKILL, {@code pause} = SIGSTOP then SIGCONT), brought
 * back, load kept running, then every write accounted for on the server's raw storage. Ends with exactly one
 * {@code DRILL …} line.
 *
 * <p>How each figure is obtained, so none can only come out good:
 * <ul>
 *   <li>{@code server_ready_ms}: from the moment the drill restarts (or resumes) the server to the first success of an
 *       independent plain-driver check ({@link DrillTarget#nativeReady()}) run every 10 ms;
 *       {@code first_ok_after_ready_ms} is the first SDK success after the restart minus that moment, signed (a
 *       negative figure means the SDK served before the plain check did);</li>
 *   <li>{@code fast_fail_p99_us}: every failed call (write or read) between the fault and the server being ready;
 *       {@code breaker_fail_p99_us}: only those the breaker rejected;</li>
 *   <li>{@code held_threads_max_ms}: the longest call of any kind (write or read, success or failure) after the
 *       fault;</li>
 *   <li>{@code ambiguous_first_landed}: before an ambiguous write is retried with the same id, the server is asked
 *       whether it holds it; a write found there is not retried ({@code -1} when the store has no lookup by id);</li>
 *   <li>{@code raw_copies}: extra copies on raw storage (no {@code ON CONFLICT}, no {@code FINAL}, counters for the
 *       cache); {@code duplicates_after_dedup}: what a reader still sees after the store's own dedup;</li>
 *   <li>{@code not_sent_but_stored} and {@code errors_stored}: writes the SDK reported as not sent, or as refused by
 *       the store, that the server holds anyway — each must be 0.</li>
 * </ul>
 */
public final class Drill {
    /** Drill parameters. */
    public record Settings(String mode, Duration down, Duration before, Duration after, int threads, int ratePerThread) {
    }

    /** How the drill takes the server away and brings it back; {@link #localStack} in real runs. */
    public interface Faults {
        void takeAway(StoreKind kind, String mode) throws Exception;

        void bringBack(StoreKind kind, String mode) throws Exception;

        /** The {@code infra/local} scripts. */
        static Faults localStack() {
            return new Faults() {
                @Override
                public void takeAway(StoreKind kind, String mode) {
                    switch (mode) {
                        case "stop" -> LocalStack.down(kind);
                        case "kill" -> LocalStack.kill(kind);
                        case "pause" -> LocalStack.pause(kind);
                        default -> throw new IllegalArgumentException("--mode must be stop, kill or pause");
                    }
                }

                @Override
                public void bringBack(StoreKind kind, String mode) {
                    if (mode.equals("pause")) {
                        LocalStack.resume(kind);
                    } else {
                        LocalStack.up(kind);
                    }
                }
            };
        }
    }

    /** Drill outcome; {@link #line()} is the contract line. */
    public record Outcome(String store, String mode, long downSeconds, long firstFailMs, double fastFailP99Us,
            double breakerFailP99Us, long heldThreadsMaxMs, long serverReadyMs, long firstOkAfterReadyMs, long acked,
            long ackedLost, long ambiguous, long ambiguousFirstLanded, long ambiguousStored, long rawCopies,
            long duplicatesAfterDedup, long notSent, long notSentButStored, long errors, long errorsStored,
            long reads, long readFailures) {
        public String line() {
            return String.format(Locale.ROOT, "DRILL store=%s mode=%s down_s=%d first_fail_ms=%d fast_fail_p99_us=%.0f "
                    + "breaker_fail_p99_us=%.0f held_threads_max_ms=%d server_ready_ms=%d first_ok_after_ready_ms=%d "
                    + "acked=%d acked_lost=%d ambiguous=%d ambiguous_first_landed=%d ambiguous_stored=%d raw_copies=%d "
                    + "duplicates_after_dedup=%d not_sent=%d not_sent_but_stored=%d errors=%d errors_stored=%d "
                    + "reads=%d read_failures=%d",
                    store, mode, downSeconds, firstFailMs, fastFailP99Us, breakerFailP99Us, heldThreadsMaxMs,
                    serverReadyMs, firstOkAfterReadyMs, acked, ackedLost, ambiguous, ambiguousFirstLanded,
                    ambiguousStored, rawCopies, duplicatesAfterDedup, notSent, notSentButStored, errors, errorsStored,
                    reads, readFailures);
        }
    }

    private static final long NONE = Long.MAX_VALUE;

    private final DrillTarget target;
    private final Settings settings;
    private final Faults faults;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> ambiguousIds = ConcurrentHashMap.newKeySet();
    private final Set<String> firstLanded = ConcurrentHashMap.newKeySet();
    private final Set<String> lookedUp = ConcurrentHashMap.newKeySet();
    private final Set<String> notSentIds = ConcurrentHashMap.newKeySet();
    private final Set<String> errorIds = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> retryQueue = new ConcurrentLinkedQueue<>();
    private final Histogram outageFail = new ConcurrentHistogram(3_600_000_000L, 3);
    private final Histogram breakerFail = new ConcurrentHistogram(3_600_000_000L, 3);
    private final AtomicLong firstFailNanos = new AtomicLong(NONE);
    private final AtomicLong firstOkAfterRestartNanos = new AtomicLong(NONE);
    private final AtomicLong heldMaxNanos = new AtomicLong();
    private final AtomicLong okCount = new AtomicLong();
    private final AtomicLong failCount = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong readFailures = new AtomicLong();
    private final AtomicBoolean lookupUnsupported = new AtomicBoolean();
    private final ConcurrentHashMap<String, Long> failures = new ConcurrentHashMap<>();
    private volatile long downAt = NONE;
    private volatile long restartAt = NONE;
    private volatile long nativeReadyAt = NONE;

    public Drill(DrillTarget target, Settings settings) {
        this(target, settings, Faults.localStack());
    }

    public Drill(DrillTarget target, Settings settings, Faults faults) {
        this.target = target;
        this.settings = settings;
        this.faults = faults;
    }

    public Outcome run() throws Exception {
        target.setUp();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            int n = i;
            Thread t = new Thread(() -> load(n, running), "drill-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        long start = System.nanoTime();
        progressUntil(start + settings.before().toNanos(), start);
        downAt = System.nanoTime();
        faults.takeAway(target.kind(), settings.mode());
        System.out.printf(Locale.ROOT, "[drill] %s %s at +%.1fs%n", target.kind(), settings.mode(), secs(downAt - start));
        progressUntil(downAt + settings.down().toNanos(), start);
        restartAt = System.nanoTime();
        Thread probe = new Thread(this::probeUntilReady, "drill-native-ready");
        probe.setDaemon(true);
        probe.start();
        faults.bringBack(target.kind(), settings.mode());
        System.out.printf(Locale.ROOT, "[drill] %s restart command returned at +%.1fs%n", target.kind(),
                secs(System.nanoTime() - start));
        progressUntil(System.nanoTime() + settings.after().toNanos(), start);
        running.set(false);
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        probe.join(TimeUnit.SECONDS.toMillis(30));
        retryLeftovers();
        System.out.println("[drill] failures seen by callers:");
        failures.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(f -> System.out.printf(Locale.ROOT, "[drill]   %6d  %s%n", f.getValue(), f.getKey()));
        return account();
    }

    /** Ambiguous writes not settled during the run: looked up, and retried with the same id when not found. */
    private void retryLeftovers() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String id;
        while ((id = retryQueue.poll()) != null && System.nanoTime() < deadline) {
            try {
                settleAmbiguous(id);
            } catch (Exception e) {
                retryQueue.add(id);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private Outcome account() throws Exception {
        Set<String> all = new HashSet<>(acked);
        all.addAll(ambiguousIds);
        all.addAll(notSentIds);
        all.addAll(errorIds);
        DrillTarget.Account account = target.account(all);
        Set<String> stored = account.stored();
        long lost = acked.stream().filter(a -> !stored.contains(a)).count();
        long ambStored = ambiguousIds.stream().filter(stored::contains).count();
        long notSentStored = notSentIds.stream().filter(stored::contains).count();
        long errorsStored = errorIds.stream().filter(stored::contains).count();
        long firstFail = firstFailNanos.get() == NONE ? -1 : TimeUnit.NANOSECONDS.toMillis(firstFailNanos.get() - downAt);
        long serverReady = nativeReadyAt == NONE ? -1 : TimeUnit.NANOSECONDS.toMillis(nativeReadyAt - restartAt);
        long firstOk = firstOkAfterRestartNanos.get() == NONE || nativeReadyAt == NONE ? -1
                : TimeUnit.NANOSECONDS.toMillis(firstOkAfterRestartNanos.get() - nativeReadyAt);
        return new Outcome(target.name(), settings.mode(), settings.down().toSeconds(), firstFail,
                p99Micros(outageFail), p99Micros(breakerFail), TimeUnit.NANOSECONDS.toMillis(heldMaxNanos.get()),
                serverReady, firstOk, acked.size(), lost, ambiguousIds.size(),
                lookupUnsupported.get() ? -1 : firstLanded.size(), ambStored, account.rawCopies(),
                account.duplicatesAfterDedup(), notSentIds.size(), notSentStored, errorIds.size(), errorsStored,
                reads.get(), readFailures.get());
    }

    private static double p99Micros(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private void probeUntilReady() {
        long deadline = restartAt + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (target.nativeReady()) {
                    nativeReadyAt = System.nanoTime();
                    System.out.printf(Locale.ROOT, "[drill] plain-driver check: %s serves again %d ms after the "
                            + "restart command%n", target.kind(),
                            TimeUnit.NANOSECONDS.toMillis(nativeReadyAt - restartAt));
                    return;
                }
            } catch (Exception e) {
                // not ready yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        System.out.println("[drill] plain-driver check never succeeded within 120 s of the restart command");
    }

    private void progressUntil(long until, long start) {
        long lastOk = okCount.get();
        long lastFail = failCount.get();
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(Math.min(until - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
            long ok = okCount.get();
            long fail = failCount.get();
            System.out.printf(Locale.ROOT, "[drill] +%5.1fs ok/s=%d fail/s=%d acked=%d ambiguous=%d not_sent=%d "
                    + "errors=%d%n", secs(System.nanoTime() - start), ok - lastOk, fail - lastFail, acked.size(),
                    ambiguousIds.size(), notSentIds.size(), errorIds.size());
            lastOk = ok;
            lastFail = fail;
        }
    }

    /**
     * Before the same-id retry of an ambiguous write, asks the server whether it holds it: found before the first
     * retry counts as {@code ambiguous_first_landed} and is not retried; otherwise the write is retried.
     */
    private void settleAmbiguous(String id) throws Exception {
        Optional<Boolean> there = target.exists(id);
        boolean firstLookup = lookedUp.add(id);
        if (there.isEmpty()) {
            lookupUnsupported.set(true);
        } else if (there.get()) {
            if (firstLookup) {
                firstLanded.add(id);
            }
            return;
        }
        target.write(id);
        acked.add(id);
    }

    /**
     * One thread's loop at a fixed rate: a write with a fresh id, then — when an ambiguous write is waiting — one
     * attempt to settle it (look it up, retry with the same id if absent), then a read of the last acknowledged id.
     */
    private void load(int thread, AtomicBoolean running) {
        long period = TimeUnit.SECONDS.toNanos(1) / settings.ratePerThread();
        long next = System.nanoTime();
        long seq = 0;
        String lastAcked = null;
        while (running.get()) {
            next += period;
            String id = thread + "-" + (seq++) + "-" + UUID.randomUUID();
            if (attempt(id, false)) {
                lastAcked = id;
            }
            String retry = retryQueue.poll();
            if (retry != null) {
                attempt(retry, true);
            }
            if (lastAcked != null) {
                long r0 = System.nanoTime();
                reads.incrementAndGet();
                try {
                    target.read(lastAcked);
                    succeeded(r0);
                } catch (Exception e) {
                    readFailures.incrementAndGet();
                    failed(r0, e);
                }
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** A fresh write, or the settling of an ambiguous one; true when the id is now acknowledged. */
    private boolean attempt(String id, boolean retry) {
        long t0 = System.nanoTime();
        try {
            if (retry) {
                settleAmbiguous(id);
            } else {
                target.write(id);
                acked.add(id);
            }
            succeeded(t0);
            return acked.contains(id);
        } catch (Exception e) {
            failed(t0, e);
            // An id whose outcome was ever unknown stays queued until it is found on the server or a retry with the
            // same id is acked; a fresh id that was not sent, or that the store refused, is only accounted.
            DrillTarget.FailedWrite outcome = target.classify(e);
            if (!acked.contains(id)) {
                if (retry || outcome == DrillTarget.FailedWrite.AMBIGUOUS) {
                    ambiguousIds.add(id);
                    retryQueue.add(id);
                } else if (outcome == DrillTarget.FailedWrite.NOT_WRITTEN) {
                    notSentIds.add(id);
                } else {
                    errorIds.add(id);
                }
            }
            return false;
        }
    }

    private void succeeded(long t0) {
        long t1 = System.nanoTime();
        okCount.incrementAndGet();
        if (t1 > restartAt) {
            firstOkAfterRestartNanos.accumulateAndGet(t1, Math::min);
        }
        observeHeld(t0, t1);
    }

    private void failed(long t0, Exception e) {
        long t1 = System.nanoTime();
        failCount.incrementAndGet();
        observeHeld(t0, t1);
        if (t1 >= downAt) {
            firstFailNanos.accumulateAndGet(t1, Math::min);
            if (t1 < nativeReadyAt) {
                outageFail.recordValue(Math.max(1, t1 - t0));
                if (e instanceof StoreUnavailableException u && u.breakerOpen()) {
                    breakerFail.recordValue(Math.max(1, t1 - t0));
                }
            }
        }
        failures.merge(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), 1L, Long::sum);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String m = message.split("\\R", 2)[0];
        return m.length() > 140 ? m.substring(0, 140) + "…" : m;
    }

    private void observeHeld(long t0, long t1) {
        if (t1 >= downAt) {
            heldMaxNanos.accumulateAndGet(t1 - t0, Math::max);
        }
    }
}
