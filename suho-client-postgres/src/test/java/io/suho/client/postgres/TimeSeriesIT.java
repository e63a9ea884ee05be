package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.client.postgres.TimeSeries.Bucket;
import io.suho.client.postgres.TimeSeries.Tick;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Time-series tables, COPY ingest and buckets in both storage modes. */
class TimeSeriesIT {

    /** Two days of ticks every 7 s for two symbols, crossing a partition boundary. */
    static List<Tick> ticks(Instant start) {
        List<Tick> out = new ArrayList<>();
        for (int i = 0; i < 2 * 86_400 / 7; i++) {
            Instant ts = start.plusSeconds(7L * i);
            out.add(new Tick(ts, "BTC-USD", 50_000 + Math.sin(i / 30.0) * 500 + (i % 13), 0.5 + i % 3));
            out.add(new Tick(ts, "ETH\tUSD", 3_000 + (i % 17), 1));
        }
        return out;
    }

    /** The same buckets computed in Java: what either mode must return. */
    static List<Bucket> expected(List<Tick> ticks, String symbol, Duration width, Instant from, Instant to) {
        Instant origin = Instant.parse("2000-01-03T00:00:00Z");
        TreeMap<Instant, List<Tick>> byBucket = new TreeMap<>();
        for (Tick t : ticks) {
            if (t.symbol().equals(symbol) && !t.ts().isBefore(from) && t.ts().isBefore(to)) {
                long n = Math.floorDiv(Duration.between(origin, t.ts()).toMillis(), width.toMillis());
                byBucket.computeIfAbsent(origin.plusMillis(n * width.toMillis()), k -> new ArrayList<>()).add(t);
            }
        }
        List<Bucket> out = new ArrayList<>();
        byBucket.forEach((b, ts) -> out.add(new Bucket(b, ts.get(0).price(),
                ts.stream().mapToDouble(Tick::price).max().orElseThrow(),
                ts.stream().mapToDouble(Tick::price).min().orElseThrow(), ts.get(ts.size() - 1).price(),
                ts.stream().mapToDouble(Tick::volume).sum(), ts.size())));
        return out;
    }

    @Test
    void nativePartitionsCopyAndDateBinBuckets(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        try (SuhoClients suho = Clients.open(server, new SimpleMeterRegistry(),
                Map.of("suho.postgres.timeseries.mode", "native"))) {
            PostgresClient pg = suho.get(PostgresClient.class);
            TimeSeries ts = pg.timeSeries();
            assertThat(ts.mode()).isEqualTo(TimeSeries.Mode.NATIVE);
            pg.update("DROP TABLE IF EXISTS it_pg_ticks CASCADE");
            ts.createTable("it_pg_ticks");
            ts.createTable("it_pg_ticks"); // idempotent
            assertThat(pg.queryOne("SELECT count(*) FROM pg_inherits WHERE inhparent = 'it_pg_ticks'::regclass",
                    rs -> rs.getLong(1))).get().satisfies(n -> assertThat(n).isGreaterThanOrEqualTo(8));

            Instant start = Instant.parse("2026-03-01T22:00:00Z"); // in the past: created on demand by copy()
            List<Tick> ticks = ticks(start);
            long copied = 0;
            for (int i = 0; i < ticks.size(); i += 5_000) {
                copied += ts.copy("it_pg_ticks", ticks.subList(i, Math.min(ticks.size(), i + 5_000)));
            }
            assertThat(copied).isEqualTo(ticks.size());
            assertThat(pg.queryOne("SELECT count(*) FROM it_pg_ticks_p20260302", rs -> rs.getLong(1)).orElseThrow())
                    .isPositive();

            Instant from = Instant.parse("2026-03-02T00:00:00Z");
            Instant to = from.plus(Duration.ofDays(1));
            List<Bucket> minutes = ts.buckets("it_pg_ticks", "BTC-USD", Duration.ofMinutes(1), from, to);
            assertThat(minutes).hasSize(1440);
            assertThat(minutes).containsExactlyElementsOf(expected(ticks, "BTC-USD", Duration.ofMinutes(1), from, to));
            List<Bucket> hours = ts.buckets("it_pg_ticks", "ETH\tUSD", Duration.ofHours(1), start, to);
            assertThat(hours).containsExactlyElementsOf(expected(ticks, "ETH\tUSD", Duration.ofHours(1), start, to));
            assertThat(suho.health(Store.POSTGRES).detail()).containsEntry("mode", "native");
        }
    }

    @Test
    void rejectsNamesThatAreNotPlainIdentifiers(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        try (SuhoClients suho = Clients.open(server)) {
            TimeSeries ts = suho.get(PostgresClient.class).timeSeries();
            assertThatThrownBy(() -> ts.createTable("ticks; DROP TABLE x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ticks; DROP TABLE x");
            assertThatThrownBy(() -> ts.buckets("it_pg_ticks", "X", Duration.ZERO, Instant.now(), Instant.now()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
        }
    }

    @Test
    void timescaleHypertableGivesTheSameBuckets(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        try (SuhoClients suho = Clients.open(server)) {
            PostgresClient pg = suho.get(PostgresClient.class);
            boolean installed = pg.queryOne("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')",
                    rs -> rs.getBoolean(1)).orElse(false);
            String reason = "the PostgreSQL at " + server.hostPort() + " has no timescaledb extension (the local"
                    + " stack's Debian PostgreSQL 15 has no TimescaleDB package); give a Timescale server with"
                    + " SUHO_POSTGRES_URL to run this test";
            if (!installed) {
                System.err.println("SKIPPED timescaleHypertableGivesTheSameBuckets: " + reason);
            }
            Assumptions.assumeTrue(installed, reason);
            TimeSeries ts = pg.timeSeries();
            assertThat(ts.mode()).isEqualTo(TimeSeries.Mode.TIMESCALE);
            pg.update("DROP TABLE IF EXISTS it_pg_ticks_ts CASCADE");
            ts.createTable("it_pg_ticks_ts");
            Instant start = Instant.parse("2026-03-01T22:00:00Z");
            List<Tick> ticks = ticks(start);
            assertThat(ts.copy("it_pg_ticks_ts", ticks)).isEqualTo(ticks.size());
            Instant from = start.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
            Instant to = from.plus(Duration.ofDays(1));
            assertThat(ts.buckets("it_pg_ticks_ts", "BTC-USD", Duration.ofMinutes(1), from, to))
                    .containsExactlyElementsOf(expected(ticks, "BTC-USD", Duration.ofMinutes(1), from, to));
            assertThat(suho.health(Store.POSTGRES).detail()).containsEntry("mode", "timescale");
        }
    }
}
