package io.suho.client.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Inserts that ClickHouse applied but whose answer never reached the client ({@link AnswerHoldingProxy} swallows it):
 * a {@link StoreTimeoutException}, not "not sent". A plain insert reports it; the {@link BatchInserter} retries the
 * same batch, so a batch is written at least once — twice here on a server without
 * {@code insert_deduplication_token} (18.16), where the {@code ReplacingMergeTree} read with {@code FINAL} collapses
 * it; once on a server that honours the batch's dedup token. Merges are stopped on the test tables so the raw row counts
 * show what was written. Runs against the local stack (or SUHO_CLICKHOUSE_URL); nothing is stopped. The event sink's
 * side of the same case is {@code io.suho.pipelines.EventSinkOutcomeUnknownIT} in suho-pipelines.
 */
class InsertOutcomeUnknownIT {
    private static final int ROWS = 200;
    private static final RowEncoder<Long> ROW = (id, row) -> row.put("id", id).put("v", "row-" + id);

    private static SuhoClients client(AnswerHoldingProxy proxy, StoreServer server, SimpleMeterRegistry registry) {
        SuhoClients.Builder b = server.configure(SuhoClients.builder().serviceName("outcome-unknown-it")
                .meterRegistry(registry).resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder()
                        .timeout(Duration.ofSeconds(1)).build()));
        return b.endpoint(Store.ANALYTICS, proxy.endpoint()).build();
    }

    /** A ReplacingMergeTree keyed by id that keeps every written part apart (merges stopped). */
    private static void createTable(AnalyticsClient ch, String table) {
        ch.execute("CREATE TABLE " + table + " (id UInt64, v String) ENGINE = ReplacingMergeTree ORDER BY id"
                + (ch.serverInfo().supportsInsertDedupToken() ? " SETTINGS non_replicated_deduplication_window = 100"
                        : ""));
        ch.execute("SYSTEM STOP MERGES " + table);
    }

    private static double timeouts(SimpleMeterRegistry registry, String operation) {
        Timer t = registry.find("suho.client.requests").tag("store", "analytics").tag("operation", operation)
                .tag("outcome", "timeout").timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void anInsertWhoseAnswerIsLostIsAnUnknownOutcomeAndTheBatchInserterWritesItAtLeastOnce(
            @RealStore(StoreKind.CLICKHOUSE) StoreServer server) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String table = "it_unknown_" + Long.toHexString(System.nanoTime());
        try (AnswerHoldingProxy proxy = new AnswerHoldingProxy(server.host(), server.port());
                SuhoClients suho = client(proxy, server, registry)) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            createTable(ch, table);
            try {
                // a plain insert: applied by the server, reported as an unknown outcome (not "not sent")
                proxy.holdNextInserts(1);
                assertThatThrownBy(() -> ch.insert(table, List.of(1_000_000L), ROW, InsertOptions.defaults()))
                        .isInstanceOf(StoreTimeoutException.class).hasMessageContaining("(outcome unknown)");
                assertThat(ch.queryLong("SELECT count() FROM " + table + " WHERE id = 1000000", Map.of()))
                        .as("the insert whose answer was lost did land").isEqualTo(1);
                ch.execute("TRUNCATE TABLE " + table);

                // the batch inserter retries the same batch (same dedup token) after the unknown outcome
                proxy.holdNextInserts(1);
                try (BatchInserter<Long> in = ch.batchInserter(table, ROW, BatchOptions.defaults()
                        .withMaxRows(ROWS).withMaxDelay(Duration.ofMillis(100)))) {
                    for (long i = 0; i < ROWS; i++) {
                        in.add(i);
                    }
                    in.flush(Duration.ofSeconds(20)); // no exception: the retry was written
                    assertThat(in.rowsWritten()).isEqualTo(ROWS);
                }
                assertThat(proxy.held()).isEqualTo(2);
                long raw = ch.queryLong("SELECT count() FROM " + table, Map.of());
                long distinct = ch.queryLong("SELECT count() FROM " + table + " FINAL", Map.of());
                System.out.println("batch after a lost answer: raw_rows=" + raw + " after_final=" + distinct
                        + " server=" + ch.serverInfo().version());
                assertThat(distinct).isEqualTo(ROWS);
                assertThat(raw).isEqualTo(ch.serverInfo().supportsInsertDedupToken() ? ROWS : 2L * ROWS);
                assertThat(timeouts(registry, "insert")).isEqualTo(2);
            } finally {
                ch.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }
}
