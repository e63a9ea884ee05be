package io.suho.bench.drill;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.InsertOptions;
import io.suho.client.analytics.QueryOptions;
import io.suho.client.analytics.RowEncoder;
import io.suho.client.analytics.TableSpec;
import io.suho.test.StoreKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drill on ClickHouse: one point insert per id ({@code InsertOptions.point().withRetry(true)}) into a plain
 * {@code MergeTree} ordered by the id — an engine that never merges rows away, so every copy that lands stays
 * countable ({@code raw_copies}; ClickHouse has no dedup of its own here, so {@code duplicates_after_dedup} is the
 * same figure) — a point query by id back ({@code QueryOptions.point()}), and {@code SELECT id, count() … GROUP BY id}
 * to account.
 */
public final class AnalyticsDrillTarget extends SuhoDrillTarget {
    private static final RowEncoder<String> ROW = (id, row) -> row.put("id", id).put("written_at", Instant.now());
    private AnalyticsClient ch;
    private String table;

    @Override
    public String name() {
        return "analytics";
    }

    @Override
    public StoreKind kind() {
        return StoreKind.CLICKHOUSE;
    }

    @Override
    public void setUp() {
        ch = connect(StoreKind.CLICKHOUSE).get(AnalyticsClient.class);
        table = "suho_drill_" + run;
        ch.createTable(TableSpec.builder(table).column("id", "String").column("written_at", "DateTime")
                .mergeTree().orderBy("id").build());
    }

    @Override
    public void write(String id) {
        ch.insert(table, List.of(id), ROW, InsertOptions.point().withRetry(true));
    }

    @Override
    public void read(String id) {
        ch.query("SELECT id FROM " + table + " WHERE id = {id:String}", Map.of("id", id), QueryOptions.point(),
                r -> r.getString(0));
    }

    @Override
    public Account account(Set<String> ids) {
        Map<String, Long> raw = counts("SELECT id, count() FROM " + table + " GROUP BY id");
        long rawCopies = raw.values().stream().mapToLong(c -> c - 1).sum();
        System.out.printf(Locale.ROOT, "[drill] table %s: %d ids, %d rows%n", table, raw.size(),
                raw.values().stream().mapToLong(Long::longValue).sum());
        return new Account(raw.keySet(), rawCopies, rawCopies);
    }

    @Override
    public Optional<Boolean> exists(String id) {
        // a point query like the read: the lookup before a retry is on the request path, bounded by the point timeout
        // (a plain queryLong would wait up to the 10 s store timeout on a hung server)
        return Optional.of(!ch.query("SELECT id FROM " + table + " WHERE id = {id:String}", Map.of("id", id),
                QueryOptions.point(), r -> r.getString(0)).isEmpty());
    }

    @Override
    public boolean nativeReady() {
        return NativeReady.clickhouse();
    }

    private Map<String, Long> counts(String sql) {
        Map<String, Long> out = new HashMap<>();
        ch.stream(sql, Map.of(), QueryOptions.defaults(), r -> Map.entry(r.getString(0), r.getLong(1)),
                e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public void close() {
        if (ch != null && table != null) {
            try {
                ch.execute("DROP TABLE IF EXISTS " + table);
            } catch (RuntimeException e) {
                System.out.println("[drill] could not drop table " + table + ": " + e.getMessage());
            }
        }
        super.close();
    }
}
