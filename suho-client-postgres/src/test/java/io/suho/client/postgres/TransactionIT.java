package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transactions, conflict retries and the outbox against a real PostgreSQL. */
@RealStore(StoreKind.POSTGRES)
class TransactionIT {
    private static SuhoClients suho;
    private static PostgresClient pg;
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void open(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        suho = Clients.open(server, registry, Map.of());
        pg = suho.get(PostgresClient.class);
        pg.update("DROP TABLE IF EXISTS it_pg_ledger");
        pg.update("CREATE TABLE it_pg_ledger (id bigserial PRIMARY KEY, account text NOT NULL, amount bigint NOT NULL)");
    }

    @AfterAll
    static void close() {
        if (suho != null) {
            suho.close();
        }
    }

    @Test
    void commitsOnReturnAndRollsBackOnException() {
        long id = pg.inTransaction(tx -> {
            tx.update("INSERT INTO it_pg_ledger (account, amount) VALUES (?, ?)", "commit", 10L);
            return tx.queryOne("SELECT id FROM it_pg_ledger WHERE account = ?", rs -> rs.getLong(1), "commit")
                    .orElseThrow();
        });
        assertThat(pg.queryOne("SELECT amount FROM it_pg_ledger WHERE id = ?", rs -> rs.getLong(1), id)).contains(10L);

        IllegalStateException boom = new IllegalStateException("business rule failed");
        assertThatThrownBy(() -> pg.inTransaction(tx -> {
            tx.update("INSERT INTO it_pg_ledger (account, amount) VALUES (?, ?)", "rollback", 10L);
            throw boom;
        })).isSameAs(boom);
        assertThat(pg.query("SELECT id FROM it_pg_ledger WHERE account = ?", rs -> rs.getLong(1), "rollback")).isEmpty();
    }

    @Test
    void doesNotRetryOtherErrors() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> pg.inTransaction(Isolation.SERIALIZABLE, tx -> {
            attempts.incrementAndGet();
            return tx.update("INSERT INTO it_pg_ledger (account, amount) VALUES (?, ?)", "x", null);
        })).isInstanceOfSatisfying(PostgresException.class, e -> assertThat(e.sqlState()).isEqualTo("23502"));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void serializationConflictBetweenTwoThreadsIsResolvedByTheRetry() throws Exception {
        // Write skew: both read the account's balance, then both insert based on it. SERIALIZABLE lets one commit
        // and fails the other with 40001; the retry re-reads and succeeds.
        String account = "skew-" + UUID.randomUUID();
        CyclicBarrier bothRead = new CyclicBarrier(2);
        AtomicInteger attempts = new AtomicInteger();
        double retriesBefore = registry.get("suho.postgres.tx.conflict.retries").functionCounter().count();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> results = pool.invokeAll(List.of(() -> withdraw(account, bothRead, attempts),
                    () -> withdraw(account, bothRead, attempts)), 60, TimeUnit.SECONDS);
            List<Long> balancesSeen = List.of(results.get(0).get(), results.get(1).get());
            assertThat(balancesSeen).containsExactlyInAnyOrder(100L, 90L);
        } finally {
            pool.shutdownNow();
        }
        assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
        assertThat(registry.get("suho.postgres.tx.conflict.retries").functionCounter().count())
                .isGreaterThan(retriesBefore);
        assertThat(pg.queryOne("SELECT 100 + coalesce(sum(amount), 0) FROM it_pg_ledger WHERE account = ?",
                rs -> rs.getLong(1), account)).contains(80L);
    }

    private static long withdraw(String account, CyclicBarrier bothRead, AtomicInteger attempts) {
        boolean[] first = {true};
        return pg.inTransaction(Isolation.SERIALIZABLE, tx -> {
            attempts.incrementAndGet();
            long balance = tx.queryOne("SELECT 100 + coalesce(sum(amount), 0) FROM it_pg_ledger WHERE account = ?",
                    rs -> rs.getLong(1), account).orElseThrow();
            if (first[0]) {
                first[0] = false;
                bothRead.await(20, TimeUnit.SECONDS);
            }
            tx.update("INSERT INTO it_pg_ledger (account, amount) VALUES (?, ?)", account, -10L);
            return balance;
        });
    }

    @Test
    void outboxRowCommitsWithTheBusinessRow() {
        String account = "outbox-" + UUID.randomUUID();
        UUID eventId = pg.inTransaction(tx -> {
            tx.update("INSERT INTO it_pg_ledger (account, amount) VALUES (?, ?)", account, 5L);
            return tx == null ? null : pg.outbox().append(tx, "it.ledger", account, "LedgerCredited",
                    "{\"amount\":5}".getBytes(StandardCharsets.UTF_8), Map.of("trace", "t-1"));
        });
        assertThat(eventId.version()).isEqualTo(7);
        var row = pg.queryOne("SELECT topic, event_key, event_type, convert_from(payload, 'UTF8'), headers->>'trace',"
                + " attempts, sent_at IS NULL, created_at IS NOT NULL FROM suho_outbox WHERE event_id = ?",
                rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getBoolean(7), rs.getBoolean(8)), eventId);
        assertThat(row).contains(List.of("it.ledger", account, "LedgerCredited", "{\"amount\":5}", "t-1", 0, true,
                true));
    }

    @Test
    void rolledBackTransactionLeavesNoOutboxRow() {
        String account = "outbox-rb-" + UUID.randomUUID();
        UUID[] id = new UUID[1];
        assertThatThrownBy(() -> pg.inTransaction(tx -> {
            tx.update("INSERT INTO it_pg_ledger (account, amount) VALUES (?, ?)", account, 5L);
            id[0] = pg.outbox().append(tx, "it.ledger", account, new byte[] {1});
            tx.update("INSERT INTO it_pg_ledger (account, amount) VALUES (?, ?)", account, null); // violates NOT NULL
            return null;
        })).isInstanceOf(PostgresException.class);
        assertThat(id[0]).isNotNull();
        assertThat(pg.queryOne("SELECT count(*) FROM suho_outbox WHERE event_id = ? OR event_key = ?",
                rs -> rs.getLong(1), id[0], account)).contains(0L);
        assertThat(pg.queryOne("SELECT count(*) FROM it_pg_ledger WHERE account = ?", rs -> rs.getLong(1), account))
                .contains(0L);
    }

    @Test
    void eventIdsAreTimeOrderedInTheTable() {
        String key = "order-" + UUID.randomUUID();
        List<UUID> ids = pg.inTransaction(tx -> List.of(
                pg.outbox().append(tx, "it.order", key, new byte[] {1}),
                pg.outbox().append(tx, "it.order", key, new byte[] {2}),
                pg.outbox().append(tx, "it.order", key, new byte[] {3})));
        List<UUID> ordered = pg.query("SELECT event_id FROM suho_outbox WHERE event_key = ? ORDER BY event_id",
                rs -> rs.getObject(1, UUID.class), key);
        assertThat(ordered).containsExactlyElementsOf(ids);
    }
}
