package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL stopped mid-run: fail fast once the breaker opens, recover without a new client. */
class OutageIT {

    @Test
    void failsFastWhileDownAndRecoversWithoutRestart(@RealStore(StoreKind.POSTGRES) StoreServer server) {
        server.requireLocal("failsFastWhileDown", "stop PostgreSQL");
        try (SuhoClients suho = Clients.open(server, new SimpleMeterRegistry(), Map.of())) {
            PostgresClient pg = suho.get(PostgresClient.class);
            assertThat(pg.queryOne("SELECT 1", rs -> rs.getInt(1))).contains(1);
            long downAt;
            long recoveredAt;
            try {
                LocalStack.down(StoreKind.POSTGRES);
                downAt = System.nanoTime();
                // calls fail (driver timeouts of ~1 s at most) until the breaker opens and rejects without I/O
                StoreUnavailableException rejected = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(5)).until(() -> failure(pg), e -> e != null && e.breakerOpen());
                long openAfterMs = (System.nanoTime() - downAt) / 1_000_000;
                // fail fast: while the breaker is open, every call is rejected without I/O — none waits for the
                // driver's 1 s timeout (a generous bound, far from what a call that tried the server would take)
                long slowestUs = 0;
                for (int i = 0; i < 20; i++) {
                    long t0 = System.nanoTime();
                    StoreUnavailableException again = failure(pg);
                    slowestUs = Math.max(slowestUs, (System.nanoTime() - t0) / 1000);
                    assertThat(again).as("call %d while the breaker is open", i).isNotNull();
                    assertThat(again.breakerOpen()).as("call %d rejected by the breaker: %s", i, again.getMessage())
                            .isTrue();
                    assertThat(again.store()).isEqualTo(Store.POSTGRES);
                }
                System.out.printf("RESULT outage breaker_open_after_ms=%d slowest_rejected_call_us=%d (%s)%n",
                        openAfterMs, slowestUs, rejected.getMessage());
                assertThat(slowestUs).as("slowest of 20 rejected calls, µs").isLessThan(250_000);
                assertThat(suho.health(Store.POSTGRES).status()).isEqualTo(HealthStatus.DOWN);
            } finally {
                LocalStack.up(StoreKind.POSTGRES);
            }
            long upAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                    .until(() -> pg.queryOne("SELECT 1", rs -> rs.getInt(1)).orElse(0) == 1);
            recoveredAt = System.nanoTime();
            System.out.printf("RESULT outage first_success_after_up_ms=%d%n", (recoveredAt - upAt) / 1_000_000);
            assertThat(pg.update("CREATE TABLE IF NOT EXISTS it_pg_outage (id int)")).isZero();
            assertThat(suho.health(Store.POSTGRES).status()).isEqualTo(HealthStatus.UP);
        }
    }

    private static StoreUnavailableException failure(PostgresClient pg) {
        try {
            pg.queryOne("SELECT 1", rs -> rs.getInt(1));
            return null;
        } catch (StoreUnavailableException e) {
            return e;
        } catch (StoreTimeoutException e) {
            return null; // a pooled connection the stop cut mid-call: outcome unknown, not "unavailable" yet
        }
    }
}
