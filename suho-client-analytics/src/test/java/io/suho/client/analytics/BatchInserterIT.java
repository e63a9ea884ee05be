package io.suho.client.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batching by size and by time, flush on close, rejected batches and backpressure, against a real ClickHouse. */
class BatchInserterIT {
    private static SuhoClients suho;
    private static AnalyticsClient ch;
    private static StoreServer server;
    private static SimpleMeterRegistry registry;
    private static final String T = "it_batch_" + Long.toHexString(System.nanoTime());
    private static final RowEncoder<Long> ROW = (id, row) -> row.put("id", id).put("v", "row-" + id);

    @BeforeAll
    static void start(@RealStore(StoreKind.CLICKHOUSE) StoreServer chServer) {
        server = chServer;
        registry = new SimpleMeterRegistry();
        suho = server.configure(SuhoClients.builder().serviceName("batch-it").meterRegistry(registry)).build();
        ch = suho.get(AnalyticsClient.class);
        ch.createTable(TableSpec.builder(T).column("id", "UInt64").column("v", "String").mergeTree().orderBy("id")
                .build());
    }

    @BeforeEach
    void truncate() {
        ch.execute("TRUNCATE TABLE " + T);
    }

    @AfterAll
    static void stop() {
        if (ch != null) {
            ch.execute("DROP TABLE IF EXISTS " + T);
        }
        if (suho != null) {
            suho.close();
        }
    }

    private static long count() {
        return ch.queryLong("SELECT count() FROM " + T, Map.of());
    }

    private double batches() {
        var c = registry.find("suho.analytics.insert.batches").tag("table", T).tag("outcome", "success").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void sendsAFullBatchAtOnceWithoutWaitingForTheDelay() {
        double before = batches();
        try (BatchInserter<Long> in = ch.batchInserter(T, ROW, BatchOptions.defaults().withMaxRows(1000)
                .withMaxDelay(Duration.ofHours(1)))) {
            for (long i = 0; i < 2500; i++) {
                in.add(i);
            }
            // two full batches go out by size; the last 500 wait (the delay is an hour)
            await().atMost(Duration.ofSeconds(20)).until(() -> count() == 2000);
            assertThat(in.buffered()).isEqualTo(500);
            assertThat(registry.find("suho.analytics.insert.buffered").tag("table", T).gauge().value()).isEqualTo(500);
            assertThat(batches() - before).isEqualTo(2);
        }
        // close flushed the rest in one more batch
        assertThat(count()).isEqualTo(2500);
        assertThat(batches() - before).isEqualTo(3);
    }

    @Test
    void sendsAPartialBatchAfterTheDelay() {
        try (BatchInserter<Long> in = ch.batchInserter(T, ROW, BatchOptions.defaults().withMaxRows(10_000)
                .withMaxDelay(Duration.ofMillis(200)))) {
            for (long i = 0; i < 10; i++) {
                in.add(i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> count() == 10);
            assertThat(in.buffered()).isZero();
            assertThat(in.rowsWritten()).isEqualTo(10);
        }
    }

    @Test
    void aRejectedBatchIsReportedByFlushAndLaterBatchesStillGo() {
        RowEncoder<Long> sometimesBad = (id, row) -> row.put("id", id == 5 ? (Object) "five" : id).put("v", "x");
        try (BatchInserter<Long> in = ch.batchInserter(T, sometimesBad, BatchOptions.defaults().withMaxRows(10))) {
            for (long i = 0; i < 10; i++) {
                in.add(i);
            }
            assertThatThrownBy(() -> in.flush(Duration.ofSeconds(20))).isInstanceOf(AnalyticsQueryException.class);
            for (long i = 10; i < 20; i++) {
                in.add(i);
            }
            in.flush(Duration.ofSeconds(20));
        }
        // the bad batch was not half-written
        assertThat(count()).isEqualTo(10);
        // a row that cannot be encoded fails the caller at once and is never buffered
        try (BatchInserter<Long> in = ch.batchInserter(T, (id, row) -> row.put("id", new Object()),
                BatchOptions.defaults())) {
            assertThatThrownBy(() -> in.add(1L)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("column id");
            assertThat(in.buffered()).isZero();
        }
    }

    @Test
    void aFullBufferBlocksAddsThenFailsThemWhileTheStoreIsDown() throws Exception {
        // a real socket nobody listens on: every insert is refused, the batch is retried, the buffer fills up
        try (SuhoClients down = SuhoClients.builder().serviceName("batch-it-down")
                .endpoint(Store.ANALYTICS, "127.0.0.1:1")
                .resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder().timeout(Duration.ofSeconds(1))
                        .build())
                .meterRegistry(registry).build()) {
            BatchInserter<Long> in = down.get(AnalyticsClient.class).batchInserter("t_down", ROW,
                    BatchOptions.defaults().withMaxRows(10).withBufferRows(50).withMaxBlock(Duration.ofMillis(300)));
            for (long i = 0; i < 50; i++) {
                in.add(i);
            }
            assertThat(in.buffered()).isEqualTo(50);
            assertThat(in.offer(51L)).isFalse();
            long start = System.nanoTime();
            assertThatThrownBy(() -> in.add(52L)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("full");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(registry.find("suho.analytics.insert.blocked").tag("table", "t_down").counter().count())
                    .isGreaterThanOrEqualTo(1);
            // the rows stay buffered and would still be written: not "not sent", but an unknown outcome
            assertThatThrownBy(() -> in.flush(Duration.ofMillis(200))).isInstanceOf(StoreTimeoutException.class)
                    .hasMessageContaining("50 rows still buffered").hasMessageContaining("Connection refused");
            assertThatThrownBy(in::close).isInstanceOf(StoreTimeoutException.class);
        }
    }

    /**
     * The first batch's answer is swallowed by a proxy (the server applies it, the client hears nothing until its 1 s
     * timeout, then retries the same batch): its rows stay in flight and keep the buffer full, so the next add must
     * wait — shown by the add not returning while the blocked counter counts it — and gets in once the retry lands.
     */
    @Test
    void aBlockedAddResumesWhenABatchIsWritten() throws Exception {
        try (AnswerHoldingProxy proxy = new AnswerHoldingProxy(server.host(), server.port());
                SuhoClients viaProxy = server.configure(SuhoClients.builder().serviceName("batch-it-held")
                        .meterRegistry(registry).resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder()
                                .timeout(Duration.ofSeconds(1)).build()))
                        .endpoint(Store.ANALYTICS, proxy.endpoint()).build()) {
            AnalyticsClient held = viaProxy.get(AnalyticsClient.class);
            double blockedBefore = blocked();
            proxy.holdNextInserts(1);
            try (BatchInserter<Long> in = held.batchInserter(T, ROW, BatchOptions.defaults().withMaxRows(1000)
                    .withBufferRows(1000).withMaxDelay(Duration.ofHours(1)).withMaxBlock(Duration.ofSeconds(30)))) {
                for (long i = 0; i < 1000; i++) {
                    in.add(i); // the 1000th row fills the batch, which is sent; its answer is held
                }
                AtomicBoolean added = new AtomicBoolean();
                CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
                    in.add(1000L);
                    added.set(true);
                });
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> blocked() > blockedBefore);
                assertThat(added).as("the add waits while the batch is in flight").isFalse();
                assertThat(f).isNotDone();
                assertThat(in.buffered()).isEqualTo(1000);
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(added).isTrue();
                assertThat(proxy.held()).isEqualTo(1);
                in.flush(Duration.ofSeconds(20));
            }
        }
        // the held batch was applied and then retried (a plain MergeTree keeps both copies): every id is there
        assertThat(ch.queryLong("SELECT uniqExact(id) FROM " + T, Map.of())).isEqualTo(1001);
    }

    private double blocked() {
        return registry.find("suho.analytics.insert.blocked").tag("table", T).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
