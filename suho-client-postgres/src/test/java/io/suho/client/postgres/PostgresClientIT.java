package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Query helpers, errors and health against a real PostgreSQL. */
@RealStore(StoreKind.POSTGRES)
class PostgresClientIT {
    private static SuhoClients suho;
    private static PostgresClient pg;
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void open(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        suho = Clients.open(server, registry, Map.of());
        pg = suho.get(PostgresClient.class);
        pg.update("DROP TABLE IF EXISTS it_pg_orders");
        pg.update("CREATE TABLE it_pg_orders (id bigint PRIMARY KEY, symbol text NOT NULL, qty int NOT NULL,"
                + " placed_at timestamptz, ref uuid, note bytea)");
    }

    @AfterAll
    static void close() {
        if (suho != null) {
            suho.close();
        }
    }

    record Order(long id, String symbol, int qty) {
    }

    private static Order order(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Order(rs.getLong("id"), rs.getString("symbol"), rs.getInt("qty"));
    }

    @Test
    void writesAndReadsRowsWithParameters() {
        Instant placed = Instant.parse("2026-01-02T03:04:05.123456Z");
        UUID ref = UUID.randomUUID();
        assertThat(pg.update("INSERT INTO it_pg_orders VALUES (?, ?, ?, ?, ?, ?)", 1L, "BTC-USD", 3, placed, ref,
                new byte[] {1, 2})).isEqualTo(1);
        assertThat(pg.update("INSERT INTO it_pg_orders (id, symbol, qty) VALUES (?, ?, ?)", 2L, "ETH-USD", 5))
                .isEqualTo(1);

        List<Order> rows = pg.query("SELECT * FROM it_pg_orders WHERE id IN (?, ?) ORDER BY id", PostgresClientIT::order,
                1L, 2L);
        assertThat(rows).containsExactly(new Order(1, "BTC-USD", 3), new Order(2, "ETH-USD", 5));
        assertThat(pg.queryOne("SELECT placed_at, ref, note FROM it_pg_orders WHERE id = ?",
                rs -> List.of(rs.getObject(1, java.time.OffsetDateTime.class).toInstant(), rs.getObject(2),
                        rs.getBytes(3)[1]), 1L))
                .contains(List.of(placed, ref, (byte) 2));
        assertThat(pg.queryOne("SELECT * FROM it_pg_orders WHERE id = ?", PostgresClientIT::order, 999L)).isEmpty();
        assertThat(pg.queryOne("SELECT qty FROM it_pg_orders WHERE symbol = ? AND placed_at IS NULL",
                rs -> rs.getInt(1), "ETH-USD")).contains(5);
    }

    @Test
    void batchesAndStreamsLargeResults() {
        List<Object[]> rows = new ArrayList<>();
        for (long i = 1000; i < 3000; i++) {
            rows.add(new Object[] {i, "S" + (i % 7), (int) i});
        }
        int[] counts = pg.batch("INSERT INTO it_pg_orders (id, symbol, qty) VALUES (?, ?, ?)", rows);
        assertThat(counts).hasSize(2000).containsOnly(1);

        List<Long> seen = new ArrayList<>();
        long n = pg.stream("SELECT id FROM it_pg_orders WHERE id >= ? AND id < ? ORDER BY id", 100,
                rs -> rs.getLong(1), seen::add, 1000L, 3000L);
        assertThat(n).isEqualTo(2000);
        assertThat(seen).hasSize(2000).startsWith(1000L).endsWith(2999L);
    }

    @Test
    void recordsTimersUnderTheVerbOrTheGivenName() {
        pg.queryOne("SELECT 1", rs -> rs.getInt(1));
        pg.named("order_lookup").queryOne("SELECT 1", rs -> rs.getInt(1));
        assertThat(registry.get("suho.client.requests").tags("store", "postgres", "operation", "select",
                "outcome", "success").timer().count()).isPositive();
        assertThat(registry.get("suho.client.requests").tags("operation", "order_lookup", "outcome", "success")
                .timer().count()).isEqualTo(1);
        assertThat(registry.find("hikaricp.connections").gauges()).isNotEmpty();
    }

    @Test
    void badSqlUnknownColumnAndNullViolationCarrySqlStateAndOperation() {
        assertThatThrownBy(() -> pg.query("SELEC nonsense", rs -> 1))
                .isInstanceOfSatisfying(PostgresException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("42601");
                    assertThat(e.operation()).isEqualTo("statement");
                });
        pg.update("INSERT INTO it_pg_orders (id, symbol, qty) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", 50L, "X", 1);
        assertThatThrownBy(() -> pg.named("bad_mapper").query("SELECT id FROM it_pg_orders WHERE id = ?",
                rs -> rs.getString("no_such_column"), 50L))
                .isInstanceOfSatisfying(PostgresException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("42703");
                    assertThat(e.operation()).isEqualTo("bad_mapper");
                    assertThat(e).hasMessageContaining("no_such_column");
                });
        assertThatThrownBy(() -> pg.update("INSERT INTO it_pg_orders (id, symbol, qty) VALUES (?, ?, ?)", 51L, null,
                1))
                .isInstanceOfSatisfying(PostgresException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("23502");
                    assertThat(e.operation()).isEqualTo("insert");
                });
        assertThatThrownBy(() -> pg.update("INSERT INTO it_pg_orders (id, symbol, qty) VALUES (?, ?, ?)", 50L, "Y", 1))
                .isInstanceOfSatisfying(DuplicateKeyException.class, e -> assertThat(e.errorCode()).isEqualTo("23505"));
        assertThatThrownBy(() -> pg.query(null, rs -> 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sql");
    }

    @Test
    void callerErrorsDoNotOpenTheBreaker() {
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> pg.query("SELECT * FROM it_pg_missing_table", rs -> 1))
                    .isInstanceOf(PostgresException.class);
        }
        assertThat(suho.breakerStates().get(Store.POSTGRES)).isEqualTo("CLOSED");
        assertThat(pg.queryOne("SELECT 1", rs -> rs.getInt(1))).contains(1);
    }

    @Test
    void wrongDatabaseFailsClearlyWithoutLeakingThePassword(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        // the real password (the local stack checks it, SCRAM over TCP): the failure is the database's
        String secret = server.password();
        try (SuhoClients other = Clients.open(server, new SimpleMeterRegistry(),
                Map.of("suho.postgres.database", "it_pg_no_such_db", "suho.postgres.sdk-migrations.enabled", "false"))) {
            PostgresClient bad = other.get(PostgresClient.class);
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> bad.queryOne("SELECT 1", rs -> 1));
            assertThat(t).isInstanceOfAny(PostgresException.class, StoreUnavailableException.class)
                    .hasMessageContaining("it_pg_no_such_db");
            for (Throwable c = t; c != null && secret != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain(secret);
            }
            StoreHealth h = other.health(Store.POSTGRES);
            assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
            if (secret != null) {
                assertThat(h.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void wrongPasswordFailsNamingTheKeyWithoutLeakingIt(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        String wrong = "pw-" + UUID.randomUUID();
        try (SuhoClients other = Clients.open(server, new SimpleMeterRegistry(),
                Map.of("suho.postgres.password", wrong, "suho.postgres.sdk-migrations.enabled", "false"))) {
            PostgresClient bad = other.get(PostgresClient.class);
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> bad.queryOne("SELECT 1", rs -> 1));
            assertThat(t).isInstanceOfAny(PostgresException.class, StoreUnavailableException.class)
                    .hasMessageContaining("suho.postgres.password");
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain(wrong);
            }
            assertThat(other.health(Store.POSTGRES).toString()).doesNotContain(wrong);
        }
    }

    @Test
    void healthShowsRolePoolAndMode() {
        StoreHealth h = suho.health(Store.POSTGRES);
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.detail()).containsEntry("role", "primary").containsEntry("mode", "native")
                .containsKeys("pool.active", "pool.idle", "pool.total", "pool.max", "primary");
    }

    @Test
    void primaryDataSourceIsTheEscapeHatch() throws Exception {
        try (var c = pg.primaryDataSource().getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("suho_trading");
        }
        Optional<Boolean> readOnlyView = pg.reading().queryOne("SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1));
        assertThat(readOnlyView).contains(false); // no replicas configured: reads fall back to the primary
    }
}
