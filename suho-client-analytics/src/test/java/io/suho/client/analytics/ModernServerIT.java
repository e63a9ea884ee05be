package io.suho.client.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Paths the SDK takes only on modern servers (detected from {@code version()}): the per-batch insert dedup token.
 * Runs where {@code SUHO_CLICKHOUSE_URL} names a ClickHouse 22.2 or newer; skipped with the reason otherwise (the
 * local stack's 18.16 takes the plain path, covered by the other tests).
 */
class ModernServerIT {

    private static void requireModern(StoreServer server, ServerInfo info) {
        String reason = null;
        if (!"env".equals(server.source())) {
            reason = "modern-server paths need SUHO_CLICKHOUSE_URL pointing at ClickHouse >= 22.2 (got " + server
                    + ", version " + info.version() + ")";
        } else if (!info.supportsInsertDedupToken()) {
            reason = "SUHO_CLICKHOUSE_URL names ClickHouse " + info.version() + ", older than 22.2";
        }
        if (reason != null) {
            System.err.println("SKIPPED ModernServerIT: " + reason);
            Assumptions.abort(reason);
        }
    }

    @Test
    void aBatchRetriedWithTheSameDedupTokenIsWrittenOnce(@RealStore(StoreKind.CLICKHOUSE) StoreServer server) {
        try (SuhoClients suho = server.configure(SuhoClients.builder().serviceName("modern-it")).build()) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            requireModern(server, ch.serverInfo());
            String t = "it_dedup_" + Long.toHexString(System.nanoTime());
            ch.execute("CREATE TABLE " + t + " (id UInt64) ENGINE = MergeTree ORDER BY id "
                    + "SETTINGS non_replicated_deduplication_window = 100");
            try {
                List<Long> rows = LongStream.range(0, 1000).boxed().toList();
                InsertOptions once = InsertOptions.defaults().withDedupToken("batch-42");
                ch.insert(t, rows, (v, row) -> row.put("id", v), once);
                ch.insert(t, rows, (v, row) -> row.put("id", v), once); // the "retry"
                assertThat(ch.queryLong("SELECT count() FROM " + t, Map.of())).isEqualTo(1000);
                ch.insert(t, rows, (v, row) -> row.put("id", v), InsertOptions.defaults().withDedupToken("batch-43"));
                assertThat(ch.queryLong("SELECT count() FROM " + t, Map.of())).isEqualTo(2000);
            } finally {
                ch.execute("DROP TABLE " + t);
            }
        }
    }
}
