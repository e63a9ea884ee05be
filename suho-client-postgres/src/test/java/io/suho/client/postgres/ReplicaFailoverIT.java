package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Read routing to a streaming replica, and failover: promote the replica, stop the primary, calls continue on the
 * new primary. The original topology (primary on its port, a fresh standby beside it) is restored afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaFailoverIT {

    private static Map<String, String> topology(StoreServer primary, StoreServer replica) {
        return Map.of("suho.postgres.hosts", primary.hostPort() + "," + replica.hostPort(),
                "suho.postgres.replicas", replica.hostPort());
    }

    @Test
    @Order(1)
    void readsGoToTheReplicaAndWritesToThePrimary(@RealStore(StoreKind.POSTGRES) StoreServer primary,
            @RealStore(StoreKind.POSTGRES_REPLICA) StoreServer replica) {
        try (SuhoClients suho = Clients.open(primary, new SimpleMeterRegistry(), topology(primary, replica))) {
            PostgresClient pg = suho.get(PostgresClient.class);
            pg.update("CREATE TABLE IF NOT EXISTS it_pg_replicated (id bigint PRIMARY KEY, v text)");
            long id = System.nanoTime();
            pg.reading().update("INSERT INTO it_pg_replicated VALUES (?, ?)", id, "x"); // writes stay on the primary
            assertThat(pg.queryOne("SELECT inet_server_port()", rs -> rs.getInt(1))).contains(primary.port());
            assertThat(pg.reading().queryOne("SELECT inet_server_port()", rs -> rs.getInt(1))).contains(replica.port());
            assertThat(pg.reading().queryOne("SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1))).contains(true);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> pg.reading().queryOne("SELECT v FROM it_pg_replicated WHERE id = ?",
                            rs -> rs.getString(1), id).isPresent());
            assertThat(suho.health(Store.POSTGRES).detail().get("replicas"))
                    .isEqualTo(Map.of(replica.hostPort(), "up"));
        }
    }

    @Test
    @Order(2)
    void failsOverToThePromotedReplicaAndKeepsServing(@RealStore(StoreKind.POSTGRES) StoreServer primary,
            @RealStore(StoreKind.POSTGRES_REPLICA) StoreServer replica) throws Exception {
        primary.requireLocal("failsOverToThePromotedReplica", "stop the primary");
        replica.requireLocal("failsOverToThePromotedReplica", "promote the replica");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = Clients.open(primary, registry, topology(primary, replica))) {
            PostgresClient pg = suho.get(PostgresClient.class);
            pg.update("CREATE TABLE IF NOT EXISTS it_pg_failover (id bigint PRIMARY KEY, at timestamptz DEFAULT now())");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong firstFailure = new AtomicLong();
            AtomicLong recovered = new AtomicLong();
            AtomicLong writesOnNewPrimary = new AtomicLong();
            Thread writer = new Thread(() -> {
                long id = System.currentTimeMillis() * 1000;
                while (!stop.get()) {
                    try {
                        int port = pg.inTransaction(tx -> {
                            tx.update("INSERT INTO it_pg_failover (id) VALUES (?)", 0L);
                            tx.update("DELETE FROM it_pg_failover WHERE id = 0");
                            return tx.queryOne("SELECT inet_server_port()", rs -> rs.getInt(1)).orElseThrow();
                        });
                        if (port == replica.port()) {
                            recovered.compareAndSet(0, System.nanoTime());
                            writesOnNewPrimary.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        firstFailure.compareAndSet(0, System.nanoTime());
                    }
                    id++;
                }
            }, "failover-writer");
            try {
                writer.start();
                promote(replica);
                LocalStack.down(StoreKind.POSTGRES);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> writesOnNewPrimary.get() >= 10);
                stop.set(true);
                writer.join(10_000);
                long recoveryMs = (recovered.get() - firstFailure.get()) / 1_000_000;
                Object detected = suho.health(Store.POSTGRES).detail().get("lastFailoverMillis");
                System.out.printf("RESULT failover first_failure_to_first_write_on_new_primary_ms=%d"
                        + " detection_to_new_pool_ms=%s%n", recoveryMs, detected);
                assertThat(pg.queryOne("SELECT inet_server_port()", rs -> rs.getInt(1))).contains(replica.port());
                assertThat(pg.queryOne("SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1))).contains(false);
                assertThat(suho.health(Store.POSTGRES).detail()).containsEntry("failovers", 1L)
                        .containsEntry("primary", replica.hostPort()).containsEntry("role", "primary");
            } finally {
                stop.set(true);
                writer.join(10_000);
            }
        } finally {
            restore();
        }
    }

    private static void promote(StoreServer replica) throws Exception {
        try (Connection c = DriverManager.getConnection(replica.url(), replica.user(), replica.password());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_promote(true, 60)")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("replica promoted").isTrue();
        }
    }

    /** The original primary back on its port, and the replica re-created as its standby (infra/local does it). */
    private static void restore() {
        try {
            LocalStack.up(StoreKind.POSTGRES);
        } finally {
            LocalStack.up(StoreKind.POSTGRES_REPLICA);
        }
    }
}
