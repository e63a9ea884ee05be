package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** health() answers from the background checks at once, and the readiness view only counts its group. */
class BackgroundHealthTest {
    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseHungProbes() {
        release.countDown();
    }

    /** A store whose probe hangs until the test releases it (a paused server), or answers UP. */
    private final class ProbedModule implements StoreModule {
        private final Store store;
        private final boolean hangs;

        ProbedModule(Store store, boolean hangs) {
            this.store = store;
            this.hangs = hangs;
        }

        @Override
        public Store store() {
            return store;
        }

        @Override
        public Set<Class<?>> clientTypes() {
            return Set.of(hangs ? Runnable.class : CharSequence.class);
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            return List.of();
        }

        @Override
        public StartedStore start(StoreContext context) {
            return new StartedStore() {
                @Override
                @SuppressWarnings("unchecked")
                public <T> T client(Class<T> type) {
                    return (T) (hangs ? (Runnable) () -> { } : "client");
                }

                @Override
                public ProbeResult probe() throws Exception {
                    if (hangs) {
                        release.await();
                    }
                    return ProbeResult.up(Map.of());
                }

                @Override
                public FailurePolicy failurePolicy() {
                    return FailurePolicy::generic;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private SuhoClients clients(String readiness) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("health-test").environment(Map.of())
                .systemProperties(new Properties()).meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .module(new ProbedModule(Store.POSTGRES, false)).module(new ProbedModule(Store.ANALYTICS, true))
                .endpoint(Store.POSTGRES, "db1").endpoint(Store.ANALYTICS, "ch1")
                .set("suho.health.interval", "100ms").set("suho.analytics.health.timeout", "200ms").eagerStart(true);
        if (readiness != null) {
            b.set("suho.health.readiness", readiness);
        }
        return b.build();
    }

    private static void within(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", limit).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aHungProbeMakesItsStoreDownWithoutEverHoldingHealthUp() {
        try (SuhoClients suho = clients(null)) {
            within(Duration.ofSeconds(5), () -> suho.health().stores().get(Store.ANALYTICS).status()
                    == HealthStatus.DOWN && suho.health().stores().get(Store.POSTGRES).status() == HealthStatus.UP);
            long worst = 0;
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                SuhoHealth h = suho.health();
                worst = Math.max(worst, System.nanoTime() - t0);
                assertThat(h.stores().get(Store.ANALYTICS).status()).isEqualTo(HealthStatus.DOWN);
                assertThat(h.stores().get(Store.ANALYTICS).error()).containsAnyOf("no answer within 200ms",
                        "still running after");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).isLessThan(50);
            SuhoHealth h = suho.health();
            assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(h.readinessGroup()).containsExactlyInAnyOrder(Store.POSTGRES, Store.CACHE, Store.NATS);
            assertThat(h.readiness()).isEqualTo(HealthStatus.UP);
            assertThat(h.ready()).isTrue();
            assertThat(h.stores().get(Store.POSTGRES).age()).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aStoreOfTheReadinessGroupThatIsDownMakesTheServiceNotReady() {
        try (SuhoClients suho = clients("postgres,analytics")) {
            within(Duration.ofSeconds(5), () -> !suho.health().ready());
            assertThat(suho.health().readiness()).isEqualTo(HealthStatus.DOWN);
        }
    }

    @Test
    void readinessNoneIsAlwaysReady() {
        try (SuhoClients suho = clients("none")) {
            within(Duration.ofSeconds(5), () -> suho.health().status() == HealthStatus.DOWN);
            assertThat(suho.health().ready()).isTrue();
            assertThat(suho.health().readiness()).isEqualTo(HealthStatus.UNKNOWN);
        }
    }

    @Test
    void anUnknownStoreInTheReadinessKeyNamesTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clients("postgres,clickhouse").close())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.health.readiness")
                .hasMessageContaining("clickhouse");
    }
}
