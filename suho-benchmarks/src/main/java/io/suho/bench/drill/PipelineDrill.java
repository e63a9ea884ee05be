package io.suho.bench.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An end-to-end data-integrity drill: {@code events} orders placed through the SDK at a fixed rate, each travelling
 * over several hops (e.g. PostgreSQL outbox → Kafka → ClickHouse), while the drill injects each of the hops' faults
 * once at spread-out moments (killing a relay or sink process with SIGKILL, restarting a server) and restores them.
 * After the placing phase it waits until the last hop holds every acknowledged event (or the drain timeout passes),
 * then accounts for every event id on every hop from the stores' raw storage and prints exactly one line.
 *
 * <p>How each figure is obtained:
 * <ul>
 *   <li>{@code events}: orders the SDK acknowledged (the transaction committed / the publish was acked); orders that
 *       failed are only logged ({@code not_acked}, and how many of them arrived anyway);</li>
 *   <li>per hop ({@link Hop}): the raw records on that hop (rows, records, messages — copies included, before any
 *       {@code FINAL} or dedup) and the distinct event ids among them;</li>
 *   <li>{@code missing}: acknowledged events absent from the last hop's raw storage (and per hop in the log);</li>
 *   <li>{@code raw_copies}: extra copies over all hops (raw records minus distinct ids, summed) — replays are
 *       expected here, this is what the dedup has to absorb;</li>
 *   <li>{@code duplicates_after_dedup}: what a reader of the last hop still sees twice after the store's own dedup
 *       ({@link Hops#afterDedupCopies}: {@code count() FINAL} minus distinct ids in ClickHouse, the raw table minus
 *       distinct ids in PostgreSQL where the consumer's inbox is the dedup);</li>
 *   <li>{@code end_to_end_p50_ms}/{@code p99}: from the acknowledgement of an order to the moment the drill first saw
 *       its event on the last hop ({@link Hops#arrivals} is polled every 100 ms, or gives the store's own arrival
 *       time); events first seen only in the final count are timed at that moment.</li>
 * </ul>
 */
public final class PipelineDrill {

    /**
     * Drill parameters: orders, placing rate (orders/s over all threads), threads, drain timeout, fault down time, and
     * the names of the faults to inject (empty: all of them).
     */
    public record Settings(int events, int rate, int threads, Duration drainTimeout, Duration faultDown,
            Set<String> onlyFaults) {
    }

    /** One fault: {@link #inject} takes something away, {@link #restore} brings it back. */
    public interface Fault {
        String name();

        void inject() throws Exception;

        void restore() throws Exception;
    }

    /** The raw contents of one hop at the end. */
    public record Hop(String field, long raw, Set<UUID> ids) {
        /** Extra copies on this hop. */
        public long copies() {
            return raw - ids.size();
        }
    }

    /** The pipeline under test. */
    public interface Hops extends AutoCloseable {
        /** The line's first word, e.g. {@code PIPELINE}. */
        String label();

        /** Creates topics/tables and starts the processes of the pipeline. */
        void setUp() throws Exception;

        /** Places one order through the SDK; returns its event id once acknowledged, throws otherwise. */
        UUID place(long seq) throws Exception;

        /** The faults, in the order they are injected. */
        List<Fault> faults();

        /**
         * Events that reached the last hop since the previous call, with the epoch-millis time each arrived (the
         * store's own time where it keeps one, else now); may throw while the last hop's store is away.
         */
        Map<UUID, Long> arrivals() throws Exception;

        /** Every hop's raw contents, first to last. */
        List<Hop> count() throws Exception;

        /** Copies a reader of the last hop still sees after the store's own dedup. */
        long afterDedupCopies() throws Exception;

        @Override
        void close();
    }

    /** The drill's result; {@link #line()} is the contract line. */
    public record Outcome(String label, long events, List<Hop> hops, long missing, long duplicatesAfterDedup,
            long rawCopies, long p50Ms, long p99Ms, List<String> faults) {
        public String line() {
            StringBuilder b = new StringBuilder(label).append(" events=").append(events);
            for (Hop h : hops) {
                b.append(' ').append(h.field()).append('=').append(h.field().endsWith("_rows") ? h.raw()
                        : h.ids().size());
            }
            return b.append(String.format(Locale.ROOT, " missing=%d duplicates_after_dedup=%d raw_copies=%d "
                    + "end_to_end_p50_ms=%d end_to_end_p99_ms=%d faults=%s", missing, duplicatesAfterDedup, rawCopies,
                    p50Ms, p99Ms, String.join(",", faults))).toString();
        }
    }

    private final Hops hops;
    private final Settings settings;
    private final Map<UUID, Long> ackedAt = new ConcurrentHashMap<>();
    private final Map<UUID, Long> arrivedAt = new ConcurrentHashMap<>();
    private final AtomicLong notAcked = new AtomicLong();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final List<String> injected = new ArrayList<>();

    /** {@code --drill pipeline}: PostgreSQL outbox → relay → Kafka → sink → ClickHouse. */
    public static Hops outboxToClickHouse() {
        return new OutboxPipelineHops();
    }

    /** {@code --drill orders}: NATS JetStream → consumer → PostgreSQL. */
    public static Hops natsToPostgres() {
        return new OrdersPipelineHops();
    }

    public PipelineDrill(Hops hops, Settings settings) {
        this.hops = hops;
        this.settings = settings;
    }

    public Outcome run() throws Exception {
        hops.setUp();
        long start = System.nanoTime();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(watching), "pipeline-watch");
        watcher.setDaemon(true);
        watcher.start();
        AtomicLong seq = new AtomicLong();
        List<Thread> placers = new ArrayList<>();
        for (int i = 0; i < settings.threads(); i++) {
            Thread t = new Thread(() -> place(seq, start), "pipeline-place-" + i);
            t.setDaemon(true);
            placers.add(t);
            t.start();
        }
        List<Fault> faults = hops.faults().stream()
                .filter(f -> settings.onlyFaults().isEmpty() || settings.onlyFaults().contains(f.name())).toList();
        long placingNanos = TimeUnit.SECONDS.toNanos(1) * settings.events() / settings.rate();
        for (int i = 0; i < faults.size(); i++) {
            long at = start + placingNanos * (i + 1) / (faults.size() + 1);
            progressUntil(at, start);
            Fault f = faults.get(i);
            System.out.printf(Locale.ROOT, "[pipeline] +%.1fs fault %s%n", secs(System.nanoTime() - start), f.name());
            f.inject();
            progressUntil(System.nanoTime() + settings.faultDown().toNanos(), start);
            System.out.printf(Locale.ROOT, "[pipeline] +%.1fs restore after %s%n", secs(System.nanoTime() - start),
                    f.name());
            f.restore();
            injected.add(f.name());
        }
        for (Thread t : placers) {
            while (t.isAlive()) {
                progressUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(1), start);
            }
        }
        System.out.printf(Locale.ROOT, "[pipeline] +%.1fs placing done: %d acknowledged, %d not; draining%n",
                secs(System.nanoTime() - start), ackedAt.size(), notAcked.get());
        long drainEnd = System.nanoTime() + settings.drainTimeout().toNanos();
        while (System.nanoTime() < drainEnd && !arrivedAt.keySet().containsAll(ackedAt.keySet())) {
            progressUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(1), start);
        }
        watching.set(false);
        watcher.join(TimeUnit.SECONDS.toMillis(10));
        failures.forEach((k, v) -> System.out.printf(Locale.ROOT, "[pipeline] order failures: %6d  %s%n", v.get(), k));
        return account();
    }

    Outcome account() throws Exception {
        List<Hop> counted = hops.count();
        Set<UUID> acked = new HashSet<>(ackedAt.keySet());
        long now = System.currentTimeMillis();
        for (Hop h : counted) {
            long missingHere = acked.stream().filter(id -> !h.ids().contains(id)).count();
            long extra = h.ids().stream().filter(id -> !acked.contains(id)).count();
            System.out.printf(Locale.ROOT, "[pipeline] hop %s: %d raw, %d distinct, %d acknowledged missing, "
                    + "%d not acknowledged but present%n", h.field(), h.raw(), h.ids().size(), missingHere, extra);
        }
        Hop last = counted.get(counted.size() - 1);
        long missing = acked.stream().filter(id -> !last.ids().contains(id)).count();
        long rawCopies = counted.stream().mapToLong(Hop::copies).sum();
        Histogram latency = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
        long late = 0;
        for (UUID id : acked) {
            if (!last.ids().contains(id)) {
                continue;
            }
            Long arrived = arrivedAt.get(id);
            if (arrived == null) {
                arrived = now;
                late++;
            }
            latency.recordValue(Math.max(0, Math.min(TimeUnit.HOURS.toMillis(1), arrived - ackedAt.get(id))));
        }
        if (late > 0) {
            System.out.printf(Locale.ROOT, "[pipeline] %d events first seen in the final count (timed at it)%n", late);
        }
        long p50 = latency.getTotalCount() == 0 ? -1 : latency.getValueAtPercentile(50);
        long p99 = latency.getTotalCount() == 0 ? -1 : latency.getValueAtPercentile(99);
        return new Outcome(hops.label(), acked.size(), counted, missing, hops.afterDedupCopies(), rawCopies, p50, p99,
                List.copyOf(injected));
    }

    /** Orders from one thread at its share of the rate until {@code events} ids were handed out. */
    private void place(AtomicLong seq, long start) {
        long period = TimeUnit.SECONDS.toNanos(1) * settings.threads() / settings.rate();
        long next = System.nanoTime();
        long n;
        while ((n = seq.getAndIncrement()) < settings.events()) {
            next += period;
            try {
                UUID id = hops.place(n);
                ackedAt.put(id, System.currentTimeMillis());
            } catch (Exception e) {
                notAcked.incrementAndGet();
                failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            } else if (sleep < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // do not burst to catch up after a stall
            }
        }
    }

    private void watch(AtomicBoolean watching) {
        while (watching.get()) {
            try {
                hops.arrivals().forEach(arrivedAt::putIfAbsent);
            } catch (Exception e) {
                // the last hop's store is away; its arrivals are picked up on a later poll
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private void progressUntil(long until, long start) {
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(Math.min(until - System.nanoTime(), TimeUnit.SECONDS.toNanos(5)));
            System.out.printf(Locale.ROOT, "[pipeline] +%5.1fs acked=%d not_acked=%d arrived=%d%n",
                    secs(System.nanoTime() - start), ackedAt.size(), notAcked.get(), arrivedAt.size());
        }
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }
}
