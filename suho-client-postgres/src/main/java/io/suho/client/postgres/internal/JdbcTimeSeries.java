package io.suho.client.postgres.internal;

import io.suho.client.core.ConfigurationException;
import io.suho.client.postgres.PostgresException;
import io.suho.client.postgres.TimeSeries;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tick tables as TimescaleDB hypertables ({@code time_bucket}) or natively range-partitioned tables with daily
 * partitions created ahead ({@code date_bin} with Timescale's default origin, 2000-01-03 UTC), so both modes give the
 * same buckets. Ingest with {@code COPY}. Table names are validated identifiers (they cannot be bind parameters).
 */
final class JdbcTimeSeries implements TimeSeries {
    private static final Logger log = LoggerFactory.getLogger(JdbcTimeSeries.class);
    private static final Pattern NAME = Pattern.compile("([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,50}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String ORIGIN = "TIMESTAMPTZ '2000-01-03 00:00:00+00'";

    private final PostgresShared shared;
    private final JdbcPostgresClient client;

    JdbcTimeSeries(PostgresShared shared, JdbcPostgresClient client) {
        this.shared = shared;
        this.client = client;
    }

    @Override
    public Mode mode() {
        Mode m = shared.timeSeriesMode;
        if (m != null) {
            return m;
        }
        boolean timescale = client.named("ts_detect").queryOne(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')",
                rs -> rs.getBoolean(1)).orElse(false);
        m = timescale ? Mode.TIMESCALE : Mode.NATIVE;
        shared.timeSeriesMode = m;
        log.info("postgres time series: {} mode ({})", m.id(), timescale ? "timescaledb extension installed"
                : "no timescaledb extension: native range partitions + date_bin");
        return m;
    }

    static String checkTable(String table) {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("time-series table name '" + table
                    + "' is not a plain lower-case identifier ([schema.]name, name up to 51 characters)");
        }
        return table;
    }

    @Override
    public void createTable(String table) {
        checkTable(table);
        Mode mode = mode();
        if (mode == Mode.TIMESCALE) {
            requireTimescale();
        }
        String ddl = "CREATE TABLE IF NOT EXISTS " + table + " (ts timestamptz NOT NULL, symbol text NOT NULL,"
                + " price double precision NOT NULL, volume double precision NOT NULL DEFAULT 0)"
                + (mode == Mode.NATIVE ? " PARTITION BY RANGE (ts)" : "");
        String index = "CREATE INDEX IF NOT EXISTS " + bare(table) + "_symbol_ts ON " + table + " (symbol, ts)";
        client.onPrimary("ts_create", true, c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                lock(c, table);
                s.execute(ddl);
                if (mode == Mode.TIMESCALE) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT create_hypertable(?::regclass, 'ts',"
                            + " chunk_time_interval => INTERVAL '1 day', if_not_exists => TRUE)")) {
                        ps.setString(1, table);
                        ps.execute();
                    }
                }
                s.execute(index);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
        if (mode == Mode.NATIVE) {
            Instant now = Instant.now();
            ensurePartitions(table, now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(shared.settings().partitionsAhead() + 1L)));
        }
    }

    private void requireTimescale() {
        boolean installed = client.named("ts_detect").queryOne(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')",
                rs -> rs.getBoolean(1)).orElse(false);
        if (!installed) {
            throw new ConfigurationException(PostgresSettings.TS_MODE.name(), PostgresSettings.TS_MODE.name()
                    + " = timescale but the timescaledb extension is not installed in database "
                    + shared.settings().database() + "; fix: CREATE EXTENSION timescaledb, or use auto/native");
        }
    }

    @Override
    public void ensurePartitions(String table, Instant from, Instant to) {
        checkTable(table);
        Statements.nonNull(from, "from");
        Statements.nonNull(to, "to");
        if (mode() != Mode.NATIVE || !to.isAfter(from)) {
            return;
        }
        List<LocalDate> missing = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
        for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC); !d.isAfter(last); d = d.plusDays(1)) {
            if (!shared.knownPartitions.contains(table + "/" + d.format(DAY))) {
                missing.add(d);
            }
        }
        if (missing.isEmpty()) {
            return; // the common case for ingest: no I/O
        }
        client.onPrimary("ts_partition", true, c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                lock(c, table);
                for (LocalDate d : missing) {
                    s.execute("CREATE TABLE IF NOT EXISTS " + table + "_p" + d.format(DAY) + " PARTITION OF " + table
                            + " FOR VALUES FROM ('" + d + " 00:00:00+00') TO ('" + d.plusDays(1) + " 00:00:00+00')");
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
        for (LocalDate d : missing) {
            shared.knownPartitions.add(table + "/" + d.format(DAY));
        }
    }

    /** Serialises DDL on one table across processes (concurrent CREATE ... IF NOT EXISTS can still collide). */
    private static void lock(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "suho_ts:" + table);
            ps.execute();
        }
    }

    @Override
    public long copy(String table, List<Tick> ticks) {
        checkTable(table);
        Statements.nonNull(ticks, "ticks");
        if (ticks.isEmpty()) {
            return 0;
        }
        byte[] data = encode(ticks);
        if (mode() == Mode.NATIVE) {
            Instant min = Instant.MAX;
            Instant max = Instant.MIN;
            for (Tick t : ticks) {
                min = t.ts().isBefore(min) ? t.ts() : min;
                max = t.ts().isAfter(max) ? t.ts() : max;
            }
            ensurePartitions(table, min, max.plusNanos(1));
        }
        String sql = "COPY " + table + " (ts, symbol, price, volume) FROM STDIN";
        try {
            return runCopy(sql, data);
        } catch (PostgresException e) {
            if (!"23514".equals(e.sqlState())) {
                throw e;
            }
            // A partition we remembered is gone (table dropped and re-created): forget and create again, once.
            shared.knownPartitions.removeIf(k -> k.startsWith(table + "/"));
            ensurePartitions(table, ticks.stream().map(Tick::ts).min(Instant::compareTo).orElseThrow(),
                    ticks.stream().map(Tick::ts).max(Instant::compareTo).orElseThrow().plusNanos(1));
            return runCopy(sql, data);
        }
    }

    private long runCopy(String sql, byte[] data) {
        return client.onPrimary("copy", false, c -> {
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                in.writeToCopy(data, 0, data.length);
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        });
    }

    /** COPY text format: tab-separated, backslash escapes. */
    static byte[] encode(List<Tick> ticks) {
        StringBuilder sb = new StringBuilder(ticks.size() * 48);
        for (int i = 0; i < ticks.size(); i++) {
            Tick t = ticks.get(i);
            if (t == null || t.ts() == null || t.symbol() == null) {
                throw new IllegalArgumentException("tick " + i + " has a null " + (t == null ? "tick"
                        : t.ts() == null ? "ts" : "symbol"));
            }
            sb.append(t.ts()).append('\t');
            String s = t.symbol();
            for (int j = 0; j < s.length(); j++) {
                char ch = s.charAt(j);
                switch (ch) {
                    case '\\' -> sb.append("\\\\");
                    case '\t' -> sb.append("\\t");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append(ch);
                }
            }
            sb.append('\t').append(t.price()).append('\t').append(t.volume()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public List<Bucket> buckets(String table, String symbol, Duration width, Instant from, Instant to) {
        checkTable(table);
        Statements.nonNull(symbol, "symbol");
        Statements.nonNull(from, "from");
        Statements.nonNull(to, "to");
        if (width == null || width.isZero() || width.isNegative()) {
            throw new IllegalArgumentException("bucket width must be positive, was " + width);
        }
        String sql = bucketSql(table, mode());
        return client.named("time_bucket").query(sql, JdbcTimeSeries::bucket, width.toMillis() + " milliseconds",
                symbol, from, to);
    }

    /** The bucket query; only the bucket function differs between the modes. */
    static String bucketSql(String table, Mode mode) {
        String fn = mode == Mode.TIMESCALE ? "time_bucket(?::interval, ts)" : "date_bin(?::interval, ts, " + ORIGIN + ")";
        return "SELECT b, (array_agg(price ORDER BY ts, price))[1], max(price), min(price),"
                + " (array_agg(price ORDER BY ts DESC, price DESC))[1], sum(volume), count(*)"
                + " FROM (SELECT " + fn + " AS b, ts, price, volume FROM " + checkTable(table)
                + " WHERE symbol = ? AND ts >= ? AND ts < ?) s GROUP BY b ORDER BY b";
    }

    static Bucket bucket(ResultSet rs) throws SQLException {
        return new Bucket(rs.getObject(1, OffsetDateTime.class).toInstant().truncatedTo(ChronoUnit.MICROS),
                rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getLong(7));
    }

    private static String bare(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }
}
