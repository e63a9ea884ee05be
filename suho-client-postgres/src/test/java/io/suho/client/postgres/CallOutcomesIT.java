package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each kind of failure reaches the caller as, against a real PostgreSQL: a timeout is a
 * {@link StoreTimeoutException} (server-reported for 57014, which never opens the breaker), a refused port a
 * {@link StoreUnavailableException}, a duplicate key a {@link DuplicateKeyException}; and the {@code execute} escape
 * hatch runs JDBC through the same breaker and metrics. No server is stopped or paused.
 */
@RealStore(StoreKind.POSTGRES)
class CallOutcomesIT {
    private static final String NO_MIGRATIONS = "suho.postgres.sdk-migrations.enabled";
    private static SuhoClients suho;
    private static PostgresClient pg;
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void open(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        suho = Clients.open(server, registry, Map.of());
        pg = suho.get(PostgresClient.class);
        pg.update("DROP TABLE IF EXISTS it_pg_outcomes");
        pg.update("CREATE TABLE it_pg_outcomes (id bigint PRIMARY KEY, note text)");
    }

    @AfterAll
    static void close() {
        if (suho != null) {
            suho.close();
        }
    }

    @Test
    void aSleepPastTheStatementTimeoutIsAServerReportedTimeoutNotUnavailable() {
        // default split of the 1 s store timeout: statement_timeout 800 ms, socket 900 ms → the server cancels first
        long t0 = System.nanoTime();
        Throwable t = catchThrowable(() -> pg.named("it_sleep").queryOne("SELECT pg_sleep(3)", rs -> 1));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(t).isNotInstanceOf(StoreUnavailableException.class)
                .isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
                    assertThat(e.serverReported()).isTrue();
                    assertThat(e.store()).isEqualTo(Store.POSTGRES);
                    assertThat(e.operation()).isEqualTo("it_sleep");
                    assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(e).hasMessageContaining("cancelled by the server").hasMessageContaining("[57014]");
                });
        assertThat(tookMs).as("a server-side timeout is not retried").isLessThan(1500);
    }

    @Test
    void aSleepPastTheSocketTimeoutIsAnUnknownOutcomeAndNotRetried(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        // no statement_timeout: the client's socket read timeout (900 ms of the 1 s timeout) fires instead
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (SuhoClients other = Clients.open(server, own, Map.of("suho.postgres.statement-timeout", "0",
                NO_MIGRATIONS, "false"))) {
            PostgresClient slow = other.get(PostgresClient.class);
            long t0 = System.nanoTime();
            Throwable t = catchThrowable(() -> slow.named("it_hang").queryOne("SELECT pg_sleep(3)", rs -> 1));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(t).isNotInstanceOf(StoreUnavailableException.class)
                    .isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
                        assertThat(e.serverReported()).isFalse();
                        assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
                        assertThat(e).hasMessageContaining("got no answer within 1s (outcome unknown)");
                    });
            // the read is idempotent, but a retry after a slow failure would hold the caller for two timeouts
            assertThat(tookMs).as("one attempt only, within the store timeout").isLessThan(1500);
            Timer timeouts = own.get("suho.client.requests").tags("operation", "it_hang", "outcome", "timeout")
                    .timer();
            assertThat(timeouts.count()).isEqualTo(1);
            assertThat(slow.queryOne("SELECT 1", rs -> rs.getInt(1))).contains(1);
        }
    }

    @Test
    void aReadRetriesRightAfterAQuickFailureOnAStalePooledConnection(
            @RealStore(StoreKind.POSTGRES) StoreServer server) throws Exception {
        // one pooled connection, whose backend is terminated between two reads: the next read fails at once (57P01)
        // and, being idempotent with most of its budget left, is retried on a fresh connection
        try (SuhoClients other = Clients.open(server, new SimpleMeterRegistry(), Map.of(NO_MIGRATIONS, "false",
                "suho.postgres.pool.max-size", "1", "suho.postgres.pool.min-idle", "1"))) {
            PostgresClient one = other.get(PostgresClient.class);
            int pid = one.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow();
            assertThat(pg.queryOne("SELECT pg_terminate_backend(?)", rs -> rs.getBoolean(1), pid)).contains(true);
            Thread.sleep(50); // the backend exits; Hikari skips its alive-check for a connection used < 500 ms ago
            long t0 = System.nanoTime();
            assertThat(one.named("it_after_terminate").queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)))
                    .hasValueSatisfying(p -> assertThat(p).isNotEqualTo(pid));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
            assertThat(other.breakerStates()).containsEntry(Store.POSTGRES, "CLOSED");
        }
    }

    @Test
    void twentyStatementTimeoutsInARowLeaveTheBreakerClosed(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        try (SuhoClients other = Clients.open(server, new SimpleMeterRegistry(),
                Map.of("suho.postgres.statement-timeout", "50ms", NO_MIGRATIONS, "false"))) {
            PostgresClient reports = other.get(PostgresClient.class);
            for (int i = 0; i < 20; i++) {
                Throwable t;
                if (i % 2 == 0) {
                    t = catchThrowable(() -> reports.named("it_report").query("SELECT pg_sleep(1)", rs -> 1));
                } else {
                    // inside a transaction: the statement fails through the same policy, then the block rolls back
                    t = catchThrowable(() -> reports.inTransaction(tx -> {
                        tx.update("SET LOCAL statement_timeout = '20ms'");
                        return tx.query("SELECT pg_sleep(1)", rs -> 1);
                    }));
                }
                assertThat(t).as("call %d", i).isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
                    assertThat(e.serverReported()).isTrue();
                    assertThat(e).hasMessageContaining("[57014]");
                });
            }
            assertThat(other.breakerStates()).containsEntry(Store.POSTGRES, "CLOSED");
            assertThat(reports.queryOne("SELECT 1", rs -> rs.getInt(1))).contains(1);
            assertThat(other.breakerStates()).containsEntry(Store.POSTGRES, "CLOSED");
        }
    }

    @Test
    void aRefusedPortIsUnavailableNotSent(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        try (SuhoClients other = refused(server, 5)) {
            PostgresClient nowhere = other.get(PostgresClient.class);
            assertThatThrownBy(() -> nowhere.queryOne("SELECT 1", rs -> 1))
                    .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
                        assertThat(e.breakerOpen()).isFalse();
                        assertThat(e).hasMessageStartingWith("postgres is unavailable: select was not sent: ")
                                .hasMessageContaining("[08001]");
                    });
            assertThatThrownBy(() -> nowhere.update("INSERT INTO t VALUES (1)"))
                    .isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void aDuplicatePrimaryKeyIsADuplicateKeyException() {
        pg.update("INSERT INTO it_pg_outcomes (id, note) VALUES (?, ?)", 1L, "first");
        assertThatThrownBy(() -> pg.update("INSERT INTO it_pg_outcomes (id, note) VALUES (?, ?)", 1L, "again"))
                .isInstanceOfSatisfying(DuplicateKeyException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("23505");
                    assertThat(e.operation()).isEqualTo("insert");
                    assertThat(e).hasMessageContaining("it_pg_outcomes_pkey");
                });
        assertThatThrownBy(() -> pg.inTransaction(tx -> tx.update(
                "INSERT INTO it_pg_outcomes (id, note) VALUES (?, ?)", 1L, "in a transaction")))
                .isInstanceOfSatisfying(DuplicateKeyException.class, e -> assertThat(e.errorCode()).isEqualTo("23505"));
        assertThat(pg.query("SELECT note FROM it_pg_outcomes WHERE id = 1", rs -> rs.getString(1)))
                .containsExactly("first");
    }

    @Test
    void executeRunsNativeJdbcThroughThePipelineAndIsCountedUnderItsName() {
        String version = pg.execute("it_native_version", true, c -> {
            assertThat(c.getAutoCommit()).isTrue();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(Integer.parseInt(version)).isGreaterThan(100_000);
        assertThat(registry.get("suho.client.requests").tags("store", "postgres", "operation", "it_native_version",
                "outcome", "success").timer().count()).isEqualTo(1);

        // driver failures inside execute are mapped like the SDK's own calls
        assertThatThrownBy(() -> pg.execute("it_native_bad", false, c -> {
            try (Statement s = c.createStatement()) {
                return s.execute("SELEC 1");
            }
        })).isInstanceOfSatisfying(PostgresException.class, e -> {
            assertThat(e.sqlState()).isEqualTo("42601");
            assertThat(e.operation()).isEqualTo("it_native_bad");
        });
        pg.update("INSERT INTO it_pg_outcomes (id, note) VALUES (2, 'native') ON CONFLICT DO NOTHING");
        assertThatThrownBy(() -> pg.execute("it_native_insert", false, c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO it_pg_outcomes (id, note) VALUES (2, 'again')");
            }
        })).isInstanceOf(DuplicateKeyException.class);
        IllegalStateException mine = new IllegalStateException("caller's own");
        assertThatThrownBy(() -> pg.execute("it_native_mine", false, c -> {
            throw mine;
        })).isSameAs(mine);
    }

    @Test
    void executeIsRejectedWithoutRunningWhileTheBreakerIsOpen(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (SuhoClients other = Clients.open(server, own, refusedSettings(2))) {
            PostgresClient nowhere = other.get(PostgresClient.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"OPEN".equals(other.breakerStates().get(Store.POSTGRES)) && System.nanoTime() < deadline) {
                assertThatThrownBy(() -> nowhere.execute("it_native_refused", true, c -> 1))
                        .isInstanceOf(StoreUnavailableException.class);
            }
            assertThat(other.breakerStates()).containsEntry(Store.POSTGRES, "OPEN");

            AtomicBoolean ran = new AtomicBoolean();
            assertThatThrownBy(() -> nowhere.execute("it_native_rejected", false, c -> {
                ran.set(true);
                return 1;
            })).isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isTrue());
            assertThat(ran).as("the lambda never ran").isFalse();
            assertThat(own.get("suho.client.requests").tags("operation", "it_native_rejected", "outcome", "rejected")
                    .timer().count()).isEqualTo(1);
        }
    }

    private static SuhoClients refused(StoreServer server, int breakerThreshold) {
        return Clients.open(server, new SimpleMeterRegistry(), refusedSettings(breakerThreshold));
    }

    /** A client whose only host refuses connections (port 1), with a breaker that stays open once opened. */
    private static Map<String, String> refusedSettings(int breakerThreshold) {
        return Map.of(Clients.hosts(Store.POSTGRES), "127.0.0.1:1", NO_MIGRATIONS, "false",
                "suho.postgres.breaker.failure-threshold", Integer.toString(breakerThreshold),
                "suho.postgres.breaker.window", Integer.toString(breakerThreshold),
                "suho.postgres.breaker.delay", "30s");
    }
}
