package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.math.BigDecimal;
import java.sql.Array;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL features a team reaches for first, against a real server: per-call timeouts
 * ({@link PostgresClient#withTimeout}), generated keys ({@link PostgresClient#insertReturningKey}) and array
 * parameters bound without a cast. One pooled connection, so every call of the class shares one session and a
 * timeout left behind on it would show.
 */
@RealStore(StoreKind.POSTGRES)
class PostgresDayOneIT {
    private static SuhoClients suho;
    private static PostgresClient pg;
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void open(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        suho = Clients.open(server, registry, Map.of("suho.postgres.pool.max-size", "1",
                "suho.postgres.pool.min-idle", "1"));
        pg = suho.get(PostgresClient.class);
        pg.update("DROP TABLE IF EXISTS it_pg_day1_orders");
        pg.update("CREATE TABLE it_pg_day1_orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " ref uuid NOT NULL DEFAULT gen_random_uuid(), symbol text NOT NULL UNIQUE, qty int NOT NULL)");
        pg.update("DROP TABLE IF EXISTS it_pg_day1_arrays");
        pg.update("CREATE TABLE it_pg_day1_arrays (id int PRIMARY KEY, refs uuid[], tags text[], fills bigint[],"
                + " prices numeric[], times timestamptz[])");
    }

    @AfterAll
    static void close() {
        if (suho != null) {
            suho.close();
        }
    }

    static String statementTimeout(PostgresClient client) {
        return client.queryOne("SHOW statement_timeout", rs -> rs.getString(1)).orElseThrow();
    }

    // --- withTimeout ---------------------------------------------------------------------------------------------

    @Test
    void aLongerTimeoutLetsASlowQueryFinishThatTheStoreTimeoutWouldCancel() {
        String poolDefault = statementTimeout(pg);
        assertThat(poolDefault).isEqualTo("800ms"); // 1 s store timeout less two margins

        assertThatThrownBy(() -> pg.queryOne("SELECT pg_sleep(1.2)", rs -> 1))
                .isInstanceOf(StoreTimeoutException.class);
        PostgresClient reports = pg.withTimeout(Duration.ofSeconds(5));
        assertThat(reports.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(reports.queryOne("SELECT pg_sleep(1.2)", rs -> 1)).contains(1);
        // the view's budget less its margin (250 ms), less what the pipeline keeps back for a read's retries
        String shown = statementTimeout(reports);
        long ms = shown.endsWith("ms") ? Long.parseLong(shown.replace("ms", ""))
                : Long.parseLong(shown.replace("s", "")) * 1000;
        assertThat(ms).isBetween(3500L, 4750L);
        assertThat(statementTimeout(pg)).as("the pooled session is back to its default").isEqualTo(poolDefault);
    }

    @Test
    void aShorterTimeoutCancelsOnTheServerAndReportsTheViewsBudget() {
        long t0 = System.nanoTime();
        Throwable t = catchThrowable(() -> pg.withTimeout(Duration.ofMillis(300)).named("it_fast_path")
                .queryOne("SELECT pg_sleep(2)", rs -> 1));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(t).isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
            assertThat(e.serverReported()).as("cancelled by statement_timeout (57014)").isTrue();
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
            assertThat(e.operation()).isEqualTo("it_fast_path");
        });
        assertThat(tookMs).isLessThan(900);
        assertThat(statementTimeout(pg)).isEqualTo("800ms");
        assertThat(registry.get("suho.client.requests").tags("operation", "it_fast_path", "outcome", "timeout")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void theTimeoutCoversTransactionsAndSurvivesOtherViews() {
        PostgresClient slow = pg.withTimeout(Duration.ofSeconds(4));
        assertThat(slow.named("x").timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(slow.reading().timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(pg.timeout()).isEqualTo(Duration.ofSeconds(1));

        int r = slow.inTransaction(tx -> tx.queryOne("SELECT pg_sleep(1.2)", rs -> 7).orElseThrow());
        assertThat(r).isEqualTo(7);
        assertThat(statementTimeout(pg)).isEqualTo("800ms");

        Throwable failed = catchThrowable(() -> slow.inTransaction(tx -> {
            tx.update("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?)", "TX-ROLLBACK", 1);
            return tx.query("SELECT 1/0", rs -> 1);
        }));
        assertThat(failed).isInstanceOf(PostgresException.class);
        assertThat(pg.queryOne("SELECT count(*) FROM it_pg_day1_orders WHERE symbol = 'TX-ROLLBACK'",
                rs -> rs.getLong(1))).contains(0L);
        assertThat(statementTimeout(pg)).as("reset after a failed block too").isEqualTo("800ms");

        assertThatThrownBy(() -> pg.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("withTimeout");
        assertThatThrownBy(() -> pg.withTimeout(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void executeUnderATimeoutLeavesNoOpenTransactionAndNoForeignTimeoutBehind() {
        String s = pg.withTimeout(Duration.ofSeconds(2)).execute("it_native", false, c -> {
            c.setAutoCommit(false); // left open on purpose: the view rolls back before resetting
            try (var st = c.createStatement(); var rs = st.executeQuery("SHOW statement_timeout")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(s).isEqualTo("1800ms");
        assertThat(statementTimeout(pg)).isEqualTo("800ms");
    }

    // --- generated keys ------------------------------------------------------------------------------------------

    @Test
    void insertReturnsTheGeneratedKeyTyped() {
        long id = pg.insertReturningKey("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?)", "id", Long.class,
                "BTC-USD", 3).orElseThrow();
        UUID ref = pg.insertReturningKey("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?)", "ref",
                UUID.class, "ETH-USD", 5).orElseThrow();
        assertThat(pg.queryOne("SELECT qty FROM it_pg_day1_orders WHERE id = ?", rs -> rs.getInt(1), id)).contains(3);
        assertThat(pg.queryOne("SELECT symbol FROM it_pg_day1_orders WHERE ref = ?", rs -> rs.getString(1), ref))
                .contains("ETH-USD");

        List<Long> many = pg.insertReturningKeys("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?), (?, ?)",
                "id", Long.class, "SOL-USD", 1, "ADA-USD", 2);
        assertThat(many).hasSize(2).allSatisfy(k -> assertThat(k).isGreaterThan(id));

        Optional<Long> none = pg.insertReturningKey("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?)"
                + " ON CONFLICT (symbol) DO NOTHING", "id", Long.class, "BTC-USD", 9);
        assertThat(none).isEmpty();
        assertThatThrownBy(() -> pg.insertReturningKey("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?)",
                "id", Long.class, "BTC-USD", 9)).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> pg.insertReturningKey("UPDATE it_pg_day1_orders SET qty = 1", "id", Long.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INSERT");

        long order = pg.inTransaction(tx -> {
            long o = tx.insertReturningKey("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?)", "id",
                    Long.class, "XRP-USD", 4).orElseThrow();
            tx.update("UPDATE it_pg_day1_orders SET qty = qty + 1 WHERE id = ?", o);
            return o;
        });
        assertThat(pg.queryOne("SELECT qty FROM it_pg_day1_orders WHERE id = ?", rs -> rs.getInt(1), order))
                .contains(5);
        assertThat(registry.get("suho.client.requests").tags("operation", "insert", "outcome", "success").timer()
                .count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theDefaultInsertReturningKeyWorksOnAnyTransactionBuiltOnAConnection() throws Exception {
        UUID ref;
        try (java.sql.Connection c = pg.primaryDataSource().getConnection()) {
            // another implementation of Transaction (as the Spring starter has): only connection() is its own
            Transaction tx = new Transaction() {
                @Override
                public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
                    throw new UnsupportedOperationException("not used by this test");
                }

                @Override
                public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
                    throw new UnsupportedOperationException("not used by this test");
                }

                @Override
                public int update(String sql, Object... params) {
                    throw new UnsupportedOperationException("not used by this test");
                }

                @Override
                public int[] batch(String sql, List<Object[]> rows) {
                    throw new UnsupportedOperationException("not used by this test");
                }

                @Override
                public java.sql.Connection connection() {
                    return c;
                }
            };
            ref = tx.insertReturningKey("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?)", "ref",
                    UUID.class, "DOT-USD", 2).orElseThrow();
            assertThatThrownBy(() -> tx.insertReturningKey("INSERT INTO it_pg_day1_orders (symbol, qty) VALUES (?, ?)",
                    "id", Long.class, "DOT-USD", 2)).isInstanceOfSatisfying(PostgresException.class,
                            e -> assertThat(e.sqlState()).isEqualTo("23505"));
        }
        // the class's pool has one connection: check once the borrowed one is back
        assertThat(pg.queryOne("SELECT symbol FROM it_pg_day1_orders WHERE ref = ?", rs -> rs.getString(1), ref))
                .contains("DOT-USD");
    }

    // --- array parameters ----------------------------------------------------------------------------------------

    @Test
    void arrayParametersBindWithoutACast() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Instant t = Instant.parse("2026-12-05T10:15:30.123456Z");
        pg.update("INSERT INTO it_pg_day1_arrays VALUES (?, ?, ?, ?, ?, ?)", 1, new UUID[] {a, b},
                new String[] {"spot", "maker"}, new long[] {10, 20, 30}, new BigDecimal[] {new BigDecimal("64210.50")},
                new Instant[] {t});
        pg.update("INSERT INTO it_pg_day1_arrays (id, refs, tags, fills) VALUES (?, ?, ?, ?)", 2,
                new UUID[] {b}, new String[] {"perp"}, new Long[] {7L});

        // a lone array parameter must be passed as one Object, or Java spreads it over the varargs
        UUID[] wanted = {a};
        assertThat(pg.query("SELECT id FROM it_pg_day1_arrays WHERE ? && refs ORDER BY id", rs -> rs.getInt(1),
                (Object) wanted)).containsExactly(1);
        assertThat(pg.query("SELECT id FROM it_pg_day1_arrays WHERE id = ANY(?) ORDER BY id", rs -> rs.getInt(1),
                (Object) new int[] {1, 2, 3})).containsExactly(1, 2);
        assertThat(pg.query("SELECT id FROM it_pg_day1_arrays WHERE tags && ? AND fills @> ? ORDER BY id",
                rs -> rs.getInt(1), new String[] {"perp", "spot"}, new Long[] {20L})).containsExactly(1);
        assertThat(pg.query("SELECT count(*) FROM unnest(?) AS u(ref) JOIN it_pg_day1_arrays x ON u.ref = ANY(x.refs)",
                rs -> rs.getLong(1), (Object) new UUID[] {a, b})).containsExactly(3L);

        Object[] row = pg.queryOne("SELECT refs, tags, fills, prices, times FROM it_pg_day1_arrays WHERE id = ?",
                rs -> new Object[] {array(rs.getArray(1)), array(rs.getArray(2)), array(rs.getArray(3)),
                    array(rs.getArray(4)), array(rs.getArray(5))}, 1).orElseThrow();
        assertThat((Object[]) row[0]).containsExactly(a, b);
        assertThat((Object[]) row[1]).containsExactly("spot", "maker");
        assertThat((Object[]) row[2]).containsExactly(10L, 20L, 30L);
        assertThat((Object[]) row[3]).containsExactly(new BigDecimal("64210.50"));
        assertThat(Arrays.stream((Object[]) row[4]).map(o -> ((java.sql.Timestamp) o).toInstant()))
                .containsExactly(t);
    }

    private static Object[] array(Array a) throws java.sql.SQLException {
        return (Object[]) a.getArray();
    }
}
