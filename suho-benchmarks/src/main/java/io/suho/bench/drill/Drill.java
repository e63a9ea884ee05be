package io.suho.bench.drill;

import io.suho.client.core.StoreUnavailableException;
import io.suho.test.LocalStack;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
 * back, load kept running, then every write accounted for on the server. Ends with exactly one {@code DRILL …} line.
 */
public final class Drill {
    /** Drill parameters. */
    public record Settings(String mode, Duration down, Duration before, Duration after, int threads, int ratePerThread) {
    }

    /**
     * Drill outcome; {@link #line()} is the contract line. Failed writes are counted by what the SDK's exception type
     * says: {@code ambiguous} (StoreTimeoutException: maybe written, retried with the same id), {@code not_sent}
     * (StoreUnavailableException) and {@code errors} (StoreOperationException). {@code not_sent_stored} and
     * {@code errors_stored} (how many of those the server holds anyway) must be 0: otherwise a failure was typed as
     * "not applied" when it was applied.
     */
    public record Outcome(String store, String mode, long downSeconds, long firstFailMs, double fastFailP99Us,
            long heldThreadsMaxMs, long firstOkAfterReadyMs, long acked, long ackedLost, long ambiguous,
            long ambiguousStored, long duplicates, long notSent, long notSentStored, long errors, long errorsStored) {
        public String line() {
            return String.format(Locale.ROOT, "DRILL store=%s mode=%s down_s=%d first_fail_ms=%d fast_fail_p99_us=%.0f "
                    + "held_threads_max_ms=%d first_ok_after_ready_ms=%d acked=%d acked_lost=%d ambiguous=%d "
                    + "ambiguous_stored=%d duplicates=%d not_sent=%d not_sent_stored=%d errors=%d errors_stored=%d",
                    store, mode, downSeconds, firstFailMs, fastFailP99Us, heldThreadsMaxMs, firstOkAfterReadyMs, acked,
                    ackedLost, ambiguous, ambiguousStored, duplicates, notSent, notSentStored, errors, errorsStored);
        }
    }

    private final DrillTarget target;
    private final Settings settings;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> ambiguousIds = ConcurrentHashMap.newKeySet();
    private final Set<String> notSentIds = ConcurrentHashMap.newKeySet();
    private final Set<String> errorIds = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> retryQueue = new ConcurrentLinkedQueue<>();
    private final Histogram fastFail = new ConcurrentHistogram(3_600_000_000L, 3);
    private final AtomicLong firstFailNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong firstOkAfterReadyNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong heldMaxNanos = new AtomicLong();
    private final AtomicLong okCount = new AtomicLong();
    private final AtomicLong failCount = new AtomicLong();
    private final ConcurrentHashMap<String, Long> failures = new ConcurrentHashMap<>();
    private volatile long downAt = Long.MAX_VALUE;
    private volatile long readyAt = Long.MAX_VALUE;

    public Drill(DrillTarget target, Settings settings) {
        this.target = target;
        this.settings = settings;
    }

    public Outcome run() throws Exception {
        target.setUp();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new java.util.ArrayList<>();
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
        switch (settings.mode()) {
            case "stop" -> LocalStack.down(target.kind());
            case "kill" -> LocalStack.kill(target.kind());
            case "pause" -> LocalStack.pause(target.kind());
            default -> throw new IllegalArgumentException("--mode must be stop, kill or pause");
        }
        System.out.printf(Locale.ROOT, "[drill] %s %s at +%.1fs%n", target.kind(), settings.mode(), secs(downAt - start));
        progressUntil(downAt + settings.down().toNanos(), start);
        if (settings.mode().equals("pause")) {
            LocalStack.resume(target.kind());
        } else {
            LocalStack.up(target.kind());
        }
        readyAt = System.nanoTime();
        System.out.printf(Locale.ROOT, "[drill] %s ready again at +%.1fs%n", target.kind(), secs(readyAt - start));
        progressUntil(readyAt + settings.after().toNanos(), start);
        running.set(false);
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        // Ambiguous writes that were not retried yet: retry them now with the same id.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String id;
        while ((id = retryQueue.poll()) != null && System.nanoTime() < deadline) {
            try {
                target.write(id);
                acked.add(id);
            } catch (Exception e) {
                retryQueue.add(id);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        System.out.println("[drill] failures seen by callers:");
        failures.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(f -> System.out.printf(Locale.ROOT, "[drill]   %6d  %s%n", f.getValue(), f.getKey()));
        Set<String> all = new HashSet<>(acked);
        all.addAll(ambiguousIds);
        all.addAll(notSentIds);
        all.addAll(errorIds);
        DrillTarget.Account account = target.account(all);
        long lost = acked.stream().filter(a -> !account.stored().contains(a)).count();
        long ambStored = ambiguousIds.stream().filter(account.stored()::contains).count();
        long notSentStored = notSentIds.stream().filter(account.stored()::contains).count();
        long errorsStored = errorIds.stream().filter(account.stored()::contains).count();
        return new Outcome(target.name(), settings.mode(), settings.down().toSeconds(),
                firstFailNanos.get() == Long.MAX_VALUE ? -1 : TimeUnit.NANOSECONDS.toMillis(firstFailNanos.get() - downAt),
                fastFail.getTotalCount() == 0 ? 0 : fastFail.getValueAtPercentile(99) / 1000.0,
                TimeUnit.NANOSECONDS.toMillis(heldMaxNanos.get()),
                firstOkAfterReadyNanos.get() == Long.MAX_VALUE ? -1
                        : Math.max(0, TimeUnit.NANOSECONDS.toMillis(firstOkAfterReadyNanos.get() - readyAt)),
                acked.size(), lost, ambiguousIds.size(), ambStored, account.duplicates(), notSentIds.size(),
                notSentStored, errorIds.size(), errorsStored);
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
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

    private void load(int thread, AtomicBoolean running) {
        long period = TimeUnit.SECONDS.toNanos(1) / settings.ratePerThread();
        long next = System.nanoTime();
        long seq = 0;
        String lastAcked = null;
        while (running.get()) {
            next += period;
            String retry = retryQueue.poll();
            String id = retry != null ? retry : thread + "-" + (seq++) + "-" + UUID.randomUUID();
            long t0 = System.nanoTime();
            try {
                target.write(id);
                long t1 = System.nanoTime();
                acked.add(id);
                lastAcked = id;
                okCount.incrementAndGet();
                if (t1 > readyAt) {
                    firstOkAfterReadyNanos.accumulateAndGet(t1, Math::min);
                }
                observeHeld(t0, t1);
                if (lastAcked != null) {
                    target.read(lastAcked);
                }
            } catch (Exception e) {
                long t1 = System.nanoTime();
                failCount.incrementAndGet();
                observeHeld(t0, t1);
                if (t1 >= downAt) {
                    firstFailNanos.accumulateAndGet(t1, Math::min);
                }
                if (e instanceof StoreUnavailableException u && u.breakerOpen()) {
                    fastFail.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toNanos(t1 - t0)));
                }
                // An id whose outcome was ever unknown stays queued until a retry with the same id is acked; a
                // fresh id that was not sent, or that the store answered with an error, is only accounted.
                DrillTarget.FailedWrite outcome = target.classify(e);
                if (!acked.contains(id)) {
                    if (retry != null || outcome == DrillTarget.FailedWrite.AMBIGUOUS) {
                        ambiguousIds.add(id);
                        retryQueue.add(id);
                    } else if (outcome == DrillTarget.FailedWrite.NOT_WRITTEN) {
                        notSentIds.add(id);
                    } else {
                        errorIds.add(id);
                    }
                }
                failures.merge(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), 1L, Long::sum);
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            } else {
                next = System.nanoTime();
            }
        }
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
