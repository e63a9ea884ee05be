package io.suho.client.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse taken away under 4 writer threads (unique ids, {@code InsertOptions.point().withRetry(true)} into a
 * {@code ReplacingMergeTree} keyed by the id, SDK defaults): graceful stop and a hung server (SIGSTOP). Every failure
 * is a {@link StoreUnavailableException} (not sent) or a {@link StoreTimeoutException} (no answer: maybe written), the
 * breaker opens and rejects without I/O, every acknowledged id is stored,
 * ambiguous writes retried with the same id leave no duplicate under {@code FINAL}, and the same client recovers. The
 * outage lasts only until the breaker has been seen rejecting; the server is always restored.
 */
class AnalyticsOutageIT {
    private static final int THREADS = 4;

    @Test
    void gracefulStop(@RealStore(StoreKind.CLICKHOUSE) StoreServer server) throws Exception {
        outage(server, "stop");
    }

    @Test
    void hungServer(@RealStore(StoreKind.CLICKHOUSE) StoreServer server) throws Exception {
        outage(server, "pause");
    }

    private void outage(StoreServer server, String mode) throws Exception {
        server.requireLocal("AnalyticsOutageIT", "stop and pause ClickHouse");
        String table = "outage_it_" + mode + "_" + Long.toHexString(System.nanoTime());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = server.configure(SuhoClients.builder().serviceName("outage-it-" + mode)
                .meterRegistry(registry)).build()) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            ch.createTable(TableSpec.builder(table).column("id", "String").column("ts", "DateTime")
                    .replacingMergeTree().orderBy("id").build());
            Load load = new Load(ch, table);
            load.start();
            boolean restored = false;
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acked.size() >= 200);
                if (mode.equals("pause")) {
                    LocalStack.pause(StoreKind.CLICKHOUSE);
                } else {
                    LocalStack.down(StoreKind.CLICKHOUSE);
                }
                // the outage lasts until callers are being turned away by the open breaker
                await().atMost(Duration.ofSeconds(60)).until(() -> load.rejected.get() >= 50);
                restore(mode);
                restored = true;
                long ackedAtRestore = load.acked.size();
                // the same client serves again
                await().atMost(Duration.ofSeconds(60)).until(() -> load.acked.size() >= ackedAtRestore + 200);
            } finally {
                load.stop();
                if (!restored) {
                    restore(mode);
                }
            }
            // ambiguous ids not acknowledged yet: retried with the same id until acknowledged
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                String id;
                while ((id = load.retry.peek()) != null) {
                    try {
                        load.write(id);
                    } catch (StoreUnavailableException | StoreTimeoutException e) {
                        return false;
                    }
                    load.retry.remove(id);
                }
                return true;
            });

            Map<String, Long> raw = counts(ch, "SELECT id, count() FROM " + table + " GROUP BY id");
            Map<String, Long> fin = counts(ch, "SELECT id, count() FROM " + table + " FINAL GROUP BY id");
            long rawDuplicates = raw.values().stream().mapToLong(c -> c - 1).sum();
            long lost = load.acked.stream().filter(id -> !fin.containsKey(id)).count();
            long ambiguousStored = load.ambiguous.stream().filter(fin::containsKey).count();
            System.out.printf("OUTAGE store=analytics mode=%s acked=%d acked_lost=%d ambiguous=%d ambiguous_stored=%d "
                    + "rejected=%d raw_duplicates=%d final_duplicates=%d failures=%s%n", mode, load.acked.size(), lost,
                    load.ambiguous.size(), ambiguousStored, load.rejected.get(), rawDuplicates,
                    fin.values().stream().mapToLong(c -> c - 1).sum(), load.failures);

            assertThat(load.unexpected).as("failures that are neither StoreUnavailableException nor "
                    + "StoreTimeoutException").isEmpty();
            assertThat(load.rejected.get()).as("calls rejected by the open breaker").isGreaterThanOrEqualTo(50);
            assertThat(lost).as("acknowledged ids missing").isZero();
            assertThat(load.ambiguous.stream().filter(id -> !load.acked.contains(id)).count())
                    .as("ambiguous ids not acknowledged after the retries").isZero();
            assertThat(ambiguousStored).isEqualTo(load.ambiguous.size());
            assertThat(fin.values().stream().filter(c -> c != 1).count()).as("ids with copies under FINAL").isZero();
            assertThat(fin.keySet().equals(raw.keySet())).as("FINAL holds the ids the raw table holds").isTrue();
            assertThat(fin.size()).as("ids stored vs acknowledged (nothing stored that was reported not sent)")
                    .isEqualTo(load.acked.size());
            long argMax = ch.queryLong("SELECT count() FROM (SELECT id, argMax(ts, ts) FROM " + table
                    + " GROUP BY id)", Map.of());
            assertThat(argMax).isEqualTo(load.acked.size());
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> suho.health(Store.ANALYTICS).status() == HealthStatus.UP
                            && suho.breakerStates().get(Store.ANALYTICS).equals("CLOSED"));
            ch.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private static void restore(String mode) {
        if (mode.equals("pause")) {
            LocalStack.resume(StoreKind.CLICKHOUSE);
        } else {
            LocalStack.up(StoreKind.CLICKHOUSE);
        }
    }

    private static Map<String, Long> counts(AnalyticsClient ch, String sql) {
        Map<String, Long> out = new HashMap<>();
        ch.stream(sql, Map.of(), QueryOptions.defaults(), r -> Map.entry(r.getString(0), r.getLong(1)),
                e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Four writer threads, each inserting one row per call with a fresh id, or an ambiguous id again. */
    private static final class Load {
        private static final RowEncoder<String> ROW = (id, row) -> row.put("id", id).put("ts", Instant.now());
        final AnalyticsClient ch;
        final String table;
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final Set<String> ambiguous = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> retry = new ConcurrentLinkedQueue<>();
        final AtomicLong rejected = new AtomicLong();
        final Map<String, Long> failures = new ConcurrentHashMap<>();
        final List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Load(AnalyticsClient ch, String table) {
            this.ch = ch;
            this.table = table;
        }

        void write(String id) {
            ch.insert(table, List.of(id), ROW, InsertOptions.point().withRetry(true));
            acked.add(id);
        }

        void start() {
            for (int t = 0; t < THREADS; t++) {
                int n = t;
                Thread thread = new Thread(() -> run(n), "outage-writer-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void run(int thread) {
            long seq = 0;
            while (running.get()) {
                String again = retry.poll();
                String id = again != null ? again : thread + "-" + seq++ + "-" + UUID.randomUUID();
                try {
                    write(id);
                } catch (StoreUnavailableException | StoreTimeoutException e) {
                    boolean rejectedByBreaker = e instanceof StoreUnavailableException u && u.breakerOpen();
                    if (rejectedByBreaker) {
                        rejected.incrementAndGet();
                        failures.merge("breaker open", 1L, Long::sum);
                    } else {
                        failures.merge(e instanceof StoreTimeoutException ? "timed out" : "unavailable", 1L,
                                Long::sum);
                    }
                    // anything past the breaker is written again with the same id: a timeout may have landed
                    if (again != null || !rejectedByBreaker) {
                        ambiguous.add(id);
                        retry.add(id);
                    }
                } catch (RuntimeException e) {
                    unexpected.add(e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pace: ~200 writes/s per thread
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }
}
