package io.suho.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.SuhoHealth;
import io.suho.client.postgres.PostgresClient;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code health()} with a hung ClickHouse (SIGSTOP): answers at once from the background checks, shows analytics
 * DOWN, and readiness stays UP because analytics is not in the readiness group (default postgres,cache,nats). Pauses
 * the shared ClickHouse: run it under {@code flock -x /tmp/suho-stack.lock}.
 */
class HealthNeverBlocksIT {

    @Test
    void healthAnswersAtOnceWithAPausedClickHouseAndReadinessStaysUp(
            @RealStore(StoreKind.POSTGRES) StoreServer pgServer, @RealStore(StoreKind.CLICKHOUSE) StoreServer chServer) {
        chServer.requireLocal("healthAnswersAtOnceWithAPausedClickHouseAndReadinessStaysUp", "pause ClickHouse");
        try (SuhoClients suho = chServer.configure(pgServer.configure(SuhoClients.builder()
                .serviceName("health-it").set("suho.health.interval", "200ms")
                .set("suho.analytics.health.timeout", "500ms"))).build()) {
            suho.get(PostgresClient.class);
            suho.get(AnalyticsClient.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> suho.health().status() == HealthStatus.UP);
            LocalStack.pause(StoreKind.CLICKHOUSE);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> suho.health().stores().get(Store.ANALYTICS)
                        .status() == HealthStatus.DOWN);
                long worstNanos = 0;
                SuhoHealth h = null;
                for (int i = 0; i < 50; i++) {
                    long t0 = System.nanoTime();
                    h = suho.health();
                    worstNanos = Math.max(worstNanos, System.nanoTime() - t0);
                }
                System.out.println("HealthNeverBlocksIT: slowest of 50 health() calls with ClickHouse paused: "
                        + TimeUnit.NANOSECONDS.toMicros(worstNanos) + " µs; analytics: "
                        + h.stores().get(Store.ANALYTICS).error());
                assertThat(TimeUnit.NANOSECONDS.toMillis(worstNanos)).isLessThan(50);
                assertThat(h.stores().get(Store.ANALYTICS).status()).isEqualTo(HealthStatus.DOWN);
                assertThat(h.stores().get(Store.ANALYTICS).age()).isLessThan(Duration.ofSeconds(5));
                assertThat(h.stores().get(Store.POSTGRES).status()).isEqualTo(HealthStatus.UP);
                assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
                assertThat(h.readinessGroup()).doesNotContain(Store.ANALYTICS).contains(Store.POSTGRES);
                assertThat(h.readiness()).isEqualTo(HealthStatus.UP);
                assertThat(h.ready()).isTrue();
            } finally {
                LocalStack.resume(StoreKind.CLICKHOUSE);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> suho.health().stores().get(Store.ANALYTICS)
                    .status() == HealthStatus.UP);
        }
    }
}
