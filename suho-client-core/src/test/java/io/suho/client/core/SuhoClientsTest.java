package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuhoClientsTest {
    interface CacheGreeter extends TestModule.Greeter {
    }

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        TestModule.EVENTS.clear();
    }

    private SuhoClients.Builder builder() {
        return SuhoClients.builder().serviceName("order-service").environment(Map.of())
                .systemProperties(new Properties()).meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(dir.resolve("endpoints.json"));
    }

    @Test
    void startsModuleLazilyOnFirstGetAndServesTypedClient() {
        try (SuhoClients suho = builder().module(new TestModule(Store.POSTGRES, TestModule.Greeter.class, Duration.ZERO))
                .endpoint(Store.POSTGRES, "db1:5432").build()) {
            assertThat(TestModule.EVENTS).isEmpty();
            assertThat(suho.health(Store.POSTGRES).status()).isEqualTo(HealthStatus.UNKNOWN);
            TestModule.Greeter g = suho.get(TestModule.Greeter.class);
            assertThat(g.greet("ops")).isEqualTo("hello ops");
            assertThat(g.configuredHosts()).isEqualTo("[db1:5432]");
            // health() answers from the background check, which starts with the store
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (suho.health().status() != HealthStatus.UP && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(suho.health().status()).isEqualTo(HealthStatus.UP);
            assertThat(suho.breakerStates()).containsEntry(Store.POSTGRES, "CLOSED");
            assertThat(suho.meterRegistry().find("suho.client.requests").tag("service", "order-service").timer())
                    .isNotNull();
        }
    }

    @Test
    void eagerStartStartsEveryModuleInBuild() {
        try (SuhoClients suho = builder().eagerStart(true)
                .module(new TestModule(Store.POSTGRES, TestModule.Greeter.class, Duration.ZERO))
                .endpoint(Store.POSTGRES, "db1").build()) {
            assertThat(TestModule.EVENTS).containsExactly("start postgres");
        }
    }

    @Test
    void askingForAClientWithoutItsModuleNamesTheArtifact() {
        try (SuhoClients suho = builder().build()) {
            assertThatThrownBy(() -> suho.get(io.suho.client.postgres.PostgresClient.class))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("io.suho:suho-client-postgres");
        }
    }

    @Test
    void serviceNameIsRequiredAndValidated() {
        assertThatThrownBy(() -> SuhoClients.builder().environment(Map.of()).systemProperties(new Properties()).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.service.name")
                .hasMessageContaining("SUHO_SERVICE_NAME");
        assertThatThrownBy(() -> builder().serviceName("bad name!").build())
                .hasMessageContaining("suho.service.name").hasMessageContaining("'bad name!'");
        try (SuhoClients suho = SuhoClients.builder().environment(Map.of("SUHO_SERVICE_NAME", "from-env"))
                .systemProperties(new Properties()).build()) {
            assertThat(suho.serviceName()).isEqualTo("from-env");
        }
    }

    @Test
    void badResilienceKeyFailsBuildNamingTheKey() {
        assertThatThrownBy(() -> builder().module(new TestModule(Store.CACHE, CacheGreeter.class, Duration.ZERO))
                .set("suho.cache.timeout", "soon").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.cache.timeout")
                .hasMessageContaining("the SuhoClients builder");
    }

    @Test
    void builderResilienceIsKeptUnlessAKeyIsSetExplicitly() {
        ResilienceConfig mine = ResilienceConfig.builder().maxRetries(0).breakerFailureThreshold(2).breakerWindow(2)
                .build();
        try (SuhoClients suho = builder().module(new TestModule(Store.CACHE, CacheGreeter.class, Duration.ZERO))
                .endpoint(Store.CACHE, "c").resilience(Store.CACHE, mine).build()) {
            ResilienceConfig resolved = ResilienceConfig.fromConfig(suho.config(), Store.CACHE, mine);
            assertThat(resolved.maxRetries()).isZero();
            assertThat(resolved.breakerFailureThreshold()).isEqualTo(2);
        }
        try (SuhoClients suho = builder().module(new TestModule(Store.CACHE, CacheGreeter.class, Duration.ZERO))
                .endpoint(Store.CACHE, "c").resilience(Store.CACHE, mine).set("suho.cache.retry.max-retries", "4")
                .build()) {
            ResilienceConfig resolved = ResilienceConfig.fromConfig(suho.config(), Store.CACHE, mine);
            assertThat(resolved.maxRetries()).isEqualTo(4);
            assertThat(resolved.breakerWindow()).isEqualTo(2);
        }
    }

    @Test
    void closesInReverseStartOrder() {
        SuhoClients suho = builder().module(new TestModule(Store.POSTGRES, TestModule.Greeter.class, Duration.ZERO))
                .module(new TestModule(Store.CACHE, CacheGreeter.class, Duration.ZERO))
                .endpoint(Store.POSTGRES, "db").endpoint(Store.CACHE, "cache").build();
        suho.get(CacheGreeter.class);
        suho.get(TestModule.Greeter.class);
        suho.close();
        assertThat(TestModule.EVENTS).containsExactly("start cache", "start postgres", "close postgres", "close cache");
        assertThatThrownBy(() -> suho.get(CacheGreeter.class)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeIsBoundedByTheCloseTimeout() {
        SuhoClients suho = builder().module(new TestModule(Store.POSTGRES, TestModule.Greeter.class,
                Duration.ofSeconds(30))).endpoint(Store.POSTGRES, "db").set("suho.close-timeout", "200ms").build();
        suho.get(TestModule.Greeter.class);
        suho.close();
        assertThat(TestModule.EVENTS).doesNotContain("close postgres");
    }

    @Test
    void buildChecksEveryModulesKeysEvenWhenStoresStartLazily() {
        assertThatThrownBy(() -> builder().module(new TestModule(Store.POSTGRES, TestModule.Greeter.class,
                Duration.ZERO)).set("suho.postgres.greeting.repeat", "9").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.postgres.greeting.repeat = '9'").hasMessageContaining("between 1 and 5")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo("suho.postgres.greeting.repeat"));
        assertThat(TestModule.EVENTS).as("nothing started").isEmpty();
        assertThatThrownBy(() -> builder().module(new TestModule(Store.POSTGRES, TestModule.Greeter.class,
                Duration.ZERO)).environment(Map.of("SUHO_POSTGRES_TIMEOUT", "5")).build())
                .hasMessageContaining("suho.postgres.timeout = '5' from the environment (SUHO_POSTGRES_TIMEOUT)")
                .hasMessageContaining("add a unit: 5s");
    }

    @Test
    void missingEndpointWithoutHubNamesTheKeyAtFirstUse() {
        try (SuhoClients suho = builder().module(new TestModule(Store.POSTGRES, TestModule.Greeter.class,
                Duration.ZERO)).build()) {
            assertThatThrownBy(() -> suho.get(TestModule.Greeter.class))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.postgres.hosts")
                    .hasMessageContaining("POSTGRES_HOST");
        }
    }

    @Test
    void executeRunsAnyCallThroughTheStoresPipelineAndMapsItsFailures() {
        try (SuhoClients suho = builder().module(new TestModule(Store.POSTGRES, TestModule.Greeter.class, Duration.ZERO))
                .endpoint(Store.POSTGRES, "db1:5432").build()) {
            assertThat(suho.execute(Store.POSTGRES, "custom-read", true, () -> 42)).isEqualTo(42);
            var timer = suho.meterRegistry().find("suho.client.requests")
                    .tags("store", "postgres", "operation", "custom-read", "outcome", "success").timer();
            assertThat(timer).isNotNull();
            assertThat(timer.count()).isEqualTo(1);
            assertThatThrownBy(() -> suho.execute(Store.POSTGRES, "custom-write", false, () -> {
                throw new java.net.SocketTimeoutException("Read timed out");
            })).isInstanceOf(StoreTimeoutException.class)
                    .hasMessageStartingWith("postgres custom-write got no answer within 1s (outcome unknown)");
            assertThat(suho.health(Store.POSTGRES).detail()).containsEntry("breaker", "CLOSED");
        }
    }

    @Test
    void executeOnAStoreWithoutItsModuleNamesTheArtifact() {
        try (SuhoClients suho = builder().build()) {
            assertThatThrownBy(() -> suho.execute(Store.GRAPH, "aql", true, () -> 1))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("io.suho:suho-client-graph");
        }
    }
}
