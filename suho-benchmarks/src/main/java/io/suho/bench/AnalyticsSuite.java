package io.suho.bench;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.InsertOptions;
import io.suho.client.analytics.RowEncoder;
import io.suho.client.core.SuhoClients;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --store analytics}: the SDK's {@link AnalyticsClient} against raw ClickHouse {@code client-v2} on the same
 * server with the same client settings (compression off, text formats in the SQL — what 18.16 needs). Both sides do
 * the same work from the same Java objects: encode 10k rows to JSONEachRow and send them in one request; run the
 * GROUP BY over 1M ticks and parse the TSV result; look up one tick by its sorting key and parse it.
 */
public final class AnalyticsSuite implements BenchmarkSuite {
    private static final String TICKS = "bench_ticks";
    private static final String INSERTS = "bench_inserts";
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int SYMBOLS = 100;

    /** One market tick. */
    record Tick(String symbol, Instant ts, double price, long qty) {
    }

    private SuhoClients suho;
    private Client raw;

    @Override
    public String store() {
        return "analytics";
    }

    @Override
    public List<BenchOperation> setUp(BenchContext ctx) throws Exception {
        StoreResolver.Resolution r = StoreResolver.resolve(StoreKind.CLICKHOUSE);
        if (!r.available()) {
            throw new IllegalStateException("no ClickHouse server: " + r.reason());
        }
        StoreServer server = r.server();
        suho = server.configure(SuhoClients.builder().serviceName("bench"))
                .environment(Map.of())
                .meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(Files.createTempDirectory("bench-analytics").resolve("endpoints.json"))
                .set("suho.analytics.timeout", "10s")
                .build();
        AnalyticsClient ch = suho.get(AnalyticsClient.class);
        raw = new Client.Builder().addEndpoint("http://" + server.hostPort())
                .setUsername(server.user() == null ? "default" : server.user())
                .setPassword(server.password() == null ? "" : server.password())
                .serverSetting("database", server.database())
                .compressServerResponse(false).compressClientRequest(false).useHttpCompression(false)
                .setMaxRetries(0).setSocketTimeout(10, ChronoUnit.SECONDS).build();

        // 1M ticks, 100 symbols, one per second per symbol
        ch.execute("DROP TABLE IF EXISTS " + TICKS);
        ch.execute("CREATE TABLE " + TICKS + " (symbol String, ts DateTime, price Float64, qty UInt32) "
                + "ENGINE = MergeTree ORDER BY (symbol, ts)");
        ch.execute("INSERT INTO " + TICKS + " SELECT concat('SYM', toString(number % " + SYMBOLS + ")), "
                + "toDateTime(" + T0.getEpochSecond() + " + intDiv(number, " + SYMBOLS + ")), "
                + "100 + (number % 997) / 10, number % 50 + 1 FROM system.numbers LIMIT 1000000");
        ch.execute("OPTIMIZE TABLE " + TICKS + " FINAL");
        ch.execute("DROP TABLE IF EXISTS " + INSERTS);
        ch.execute("CREATE TABLE " + INSERTS + " (symbol String, ts DateTime, price Float64, qty UInt32) "
                + "ENGINE = MergeTree ORDER BY (symbol, ts)");

        List<Tick> batch = new ArrayList<>(10_000);
        for (int i = 0; i < 10_000; i++) {
            batch.add(new Tick("SYM" + (i % SYMBOLS), T0.plusSeconds(i), 100 + (i % 997) / 10.0, i % 50 + 1));
        }
        RowEncoder<Tick> encoder = (t, row) -> row.put("symbol", t.symbol()).put("ts", t.ts()).put("price", t.price())
                .put("qty", t.qty());
        AtomicLong sink = new AtomicLong();

        BenchOperation insert = new BenchOperation("insert_batch_10k",
                () -> ch.insert(INSERTS, batch, encoder, InsertOptions.defaults()),
                () -> {
                    StringBuilder sb = new StringBuilder(10_000 * 80);
                    for (Tick t : batch) {
                        sb.append("{\"symbol\":\"").append(t.symbol()).append("\",\"ts\":\"")
                                .append(DT.format(LocalDateTime.ofInstant(t.ts(), ZoneOffset.UTC)))
                                .append("\",\"price\":").append(t.price()).append(",\"qty\":").append(t.qty())
                                .append("}\n");
                    }
                    byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
                    raw.insert(INSERTS, new ByteArrayInputStream(data), ClickHouseFormat.JSONEachRow).get().close();
                }, 1, 10_000);

        String agg = "SELECT symbol, count() AS n, avg(price) AS avg_price, max(price) AS max_price, sum(qty) AS volume "
                + "FROM " + TICKS + " GROUP BY symbol ORDER BY symbol";
        BenchOperation aggQuery = BenchOperation.of("agg_query",
                () -> sink.addAndGet(ch.query(agg, Map.of(), row -> row.getLong("n") + (long) row.getDouble("avg_price")
                        + (long) row.getDouble("max_price") + row.getLong("volume")).size()),
                () -> {
                    try (QueryResponse resp = raw.query(agg + " FORMAT TabSeparatedWithNamesAndTypes",
                            new QuerySettings()).get();
                            BufferedReader in = new BufferedReader(new InputStreamReader(resp.getInputStream(),
                                    StandardCharsets.UTF_8))) {
                        in.readLine();
                        in.readLine();
                        String line;
                        long n = 0;
                        while ((line = in.readLine()) != null) {
                            String[] f = line.split("\t");
                            n += Long.parseLong(f[1]) + (long) Double.parseDouble(f[2]) + (long) Double.parseDouble(f[3])
                                    + Long.parseLong(f[4]);
                        }
                        sink.addAndGet(n);
                    }
                });

        String point = "SELECT symbol, ts, price, qty FROM " + TICKS + " WHERE symbol = {s:String} AND ts = {t:DateTime}";
        BenchOperation pointQuery = BenchOperation.of("point_query",
                () -> {
                    int i = ThreadLocalRandom.current().nextInt(1_000_000);
                    Tick t = ch.query(point, Map.of("s", "SYM" + (i % SYMBOLS), "t", T0.plusSeconds(i / SYMBOLS)),
                            row -> new Tick(row.getString("symbol"), row.getInstant("ts"), row.getDouble("price"),
                                    row.getLong("qty"))).get(0);
                    sink.addAndGet(t.qty());
                },
                () -> {
                    int i = ThreadLocalRandom.current().nextInt(1_000_000);
                    String sql = "SELECT symbol, ts, price, qty FROM " + TICKS + " WHERE symbol = 'SYM" + (i % SYMBOLS)
                            + "' AND ts = toDateTime('" + DT.format(LocalDateTime.ofInstant(T0.plusSeconds(i / SYMBOLS),
                                    ZoneOffset.UTC)) + "') FORMAT TabSeparatedWithNamesAndTypes";
                    try (QueryResponse resp = raw.query(sql, new QuerySettings()).get();
                            BufferedReader in = new BufferedReader(new InputStreamReader(resp.getInputStream(),
                                    StandardCharsets.UTF_8))) {
                        in.readLine();
                        in.readLine();
                        String[] f = in.readLine().split("\t");
                        Tick t = new Tick(f[0], LocalDateTime.parse(f[1], DT).toInstant(ZoneOffset.UTC),
                                Double.parseDouble(f[2]), Long.parseLong(f[3]));
                        sink.addAndGet(t.qty());
                    }
                });
        return List.of(insert, aggQuery, pointQuery);
    }

    @Override
    public void close() throws Exception {
        if (suho != null) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            ch.execute("DROP TABLE IF EXISTS " + INSERTS);
            suho.close();
        }
        if (raw != null) {
            raw.close();
        }
    }
}
