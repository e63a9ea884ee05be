package io.suho.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.client.postgres.PostgresClient;
import io.suho.client.postgres.TimeSeries;
import io.suho.client.postgres.TimeSeries.Tick;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * {@code --store postgres}: the PostgreSQL client against raw HikariCP + PgJDBC on the same server, same pool size and
 * same driver timeouts. {@code select_one} is a primary-key lookup, {@code insert_one} a single-row insert in a
 * transaction, {@code copy_1k} a COPY of 1,000 ticks into the partitioned tick table, {@code time_bucket_1d}
 * 1-minute OHLC buckets over one day of ticks (86,400 rows) with the same SQL the SDK generates for its active mode.
 */
public final class PostgresSuite implements BenchmarkSuite {
    private static final int ROWS = 10_000;
    private static final Instant DAY = Instant.parse("2026-01-05T00:00:00Z");

    private SuhoClients suho;
    private HikariDataSource raw;

    @Override
    public String store() {
        return "postgres";
    }

    @Override
    public List<BenchOperation> setUp(BenchContext ctx) throws Exception {
        StoreResolver.Resolution r = StoreResolver.resolve(StoreKind.POSTGRES);
        if (!r.available()) {
            throw new IllegalStateException("no PostgreSQL server: " + r.reason());
        }
        StoreServer server = r.server();
        int poolSize = Integer.parseInt(ctx.arg("pool", "4"));
        suho = server.configure(SuhoClients.builder().serviceName("bench"))
                .environment(Map.of())
                .meterRegistry(new SimpleMeterRegistry())
                .set("suho.postgres.pool.max-size", Integer.toString(poolSize))
                .set("suho.postgres.timeseries.mode", "native")
                .build();
        PostgresClient pg = suho.get(PostgresClient.class);

        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(server.url());
        hc.setUsername(server.user());
        hc.setPassword(server.password());
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(2);
        hc.setConnectionTimeout(1000);
        hc.addDataSourceProperty("connectTimeout", "1");
        hc.addDataSourceProperty("socketTimeout", "2");
        hc.addDataSourceProperty("options", "-c statement_timeout=1000");
        hc.setPoolName("bench-raw");
        raw = new HikariDataSource(hc);

        pg.update("DROP TABLE IF EXISTS bench_pg_orders");
        pg.update("CREATE TABLE bench_pg_orders (id bigint PRIMARY KEY, symbol text NOT NULL, qty int NOT NULL)");
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < ROWS; i++) {
            rows.add(new Object[] {i, "SYM" + (i % 50), (int) (i % 1000)});
        }
        pg.batch("INSERT INTO bench_pg_orders VALUES (?, ?, ?)", rows);
        pg.update("DROP TABLE IF EXISTS bench_pg_inserts");
        pg.update("CREATE TABLE bench_pg_inserts (id bigint PRIMARY KEY, symbol text NOT NULL, qty int NOT NULL,"
                + " at timestamptz NOT NULL DEFAULT now())");

        TimeSeries ts = pg.timeSeries();
        pg.update("DROP TABLE IF EXISTS bench_pg_ticks CASCADE");
        ts.createTable("bench_pg_ticks");
        ts.ensurePartitions("bench_pg_ticks", DAY, DAY.plus(Duration.ofDays(1)));
        List<Tick> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(new Tick(DAY.plusMillis(i * 37L), "BENCH", 100 + (i % 17) * 0.25, 1 + i % 5));
        }
        byte[] copyData = encode(batch);

        pg.update("DROP TABLE IF EXISTS bench_pg_day CASCADE");
        ts.createTable("bench_pg_day");
        List<Tick> day = new ArrayList<>();
        for (int i = 0; i < 86_400; i++) {
            day.add(new Tick(DAY.plusSeconds(i), "BENCH", 100 + Math.sin(i / 600.0) * 5 + (i % 7) * 0.01, 1));
        }
        ts.copy("bench_pg_day", day);
        pg.update("ANALYZE bench_pg_day");
        String bucketSql = "SELECT b, (array_agg(price ORDER BY ts, price))[1], max(price), min(price),"
                + " (array_agg(price ORDER BY ts DESC, price DESC))[1], sum(volume), count(*)"
                + " FROM (SELECT date_bin(?::interval, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS b, ts, price,"
                + " volume FROM bench_pg_day WHERE symbol = ? AND ts >= ? AND ts < ?) s GROUP BY b ORDER BY b";

        AtomicLong sdkIds = new AtomicLong(1_000_000_000L);
        AtomicLong rawIds = new AtomicLong(2_000_000_000L);
        Instant dayEnd = DAY.plus(Duration.ofDays(1));

        return List.of(
                BenchOperation.of("select_one",
                        () -> pg.queryOne("SELECT id, symbol, qty FROM bench_pg_orders WHERE id = ?",
                                PostgresSuite::order, ThreadLocalRandom.current().nextLong(ROWS)).orElseThrow(),
                        () -> rawSelect(ThreadLocalRandom.current().nextLong(ROWS))),
                BenchOperation.of("insert_one",
                        () -> pg.inTransaction(tx -> tx.update(
                                "INSERT INTO bench_pg_inserts (id, symbol, qty) VALUES (?, ?, ?)",
                                sdkIds.incrementAndGet(), "BTC-USD", 1)),
                        () -> rawInsert(rawIds.incrementAndGet())),
                new BenchOperation("copy_1k", () -> ts.copy("bench_pg_ticks", batch), () -> rawCopy(copyData), 1,
                        1000),
                BenchOperation.of("time_bucket_1d",
                        () -> check(ts.buckets("bench_pg_day", "BENCH", Duration.ofMinutes(1), DAY, dayEnd).size()),
                        () -> check(rawBuckets(bucketSql, dayEnd))));
    }

    private static void check(int buckets) {
        if (buckets != 1440) {
            throw new IllegalStateException("expected 1440 buckets, got " + buckets);
        }
    }

    private static Object order(ResultSet rs) throws SQLException {
        return new Object[] {rs.getLong(1), rs.getString(2), rs.getInt(3)};
    }

    private void rawSelect(long id) throws SQLException {
        try (Connection c = raw.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, symbol, qty FROM bench_pg_orders WHERE id = ?")) {
            ps.setLong(1, id);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("row " + id + " missing");
                }
                order(rs);
            }
        }
    }

    private void rawInsert(long id) throws SQLException {
        try (Connection c = raw.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO bench_pg_inserts (id, symbol, qty) VALUES (?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, "BTC-USD");
                ps.setInt(3, 1);
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void rawCopy(byte[] data) throws SQLException {
        try (Connection c = raw.getConnection()) {
            var in = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY bench_pg_ticks (ts, symbol, price, volume) FROM STDIN");
            in.writeToCopy(data, 0, data.length);
            in.endCopy();
        }
    }

    private int rawBuckets(String sql, Instant dayEnd) throws SQLException {
        try (Connection c = raw.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "60000 milliseconds");
            ps.setString(2, "BENCH");
            ps.setObject(3, OffsetDateTime.ofInstant(DAY, ZoneOffset.UTC));
            ps.setObject(4, OffsetDateTime.ofInstant(dayEnd, ZoneOffset.UTC));
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getObject(1, OffsetDateTime.class);
                    rs.getDouble(2);
                    rs.getDouble(3);
                    rs.getDouble(4);
                    rs.getDouble(5);
                    rs.getDouble(6);
                    rs.getLong(7);
                    n++;
                }
            }
            return n;
        }
    }

    /** The same COPY text the SDK sends (symbols here need no escaping). */
    private static byte[] encode(List<Tick> ticks) {
        StringBuilder sb = new StringBuilder();
        for (Tick t : ticks) {
            sb.append(t.ts()).append('\t').append(t.symbol()).append('\t').append(t.price()).append('\t')
                    .append(t.volume()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (raw != null) {
            raw.close();
        }
        if (suho != null) {
            suho.close();
        }
    }
}
