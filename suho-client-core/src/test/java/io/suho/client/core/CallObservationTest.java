package io.suho.client.core;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call through a store's pipeline is one observation, with its outcome, when a registry is given. */
class CallObservationTest {
    @TempDir
    Path dir;

    private SuhoClients clients(TestObservationRegistry observations) {
        return SuhoClients.builder().serviceName("order-service").environment(Map.of())
                .systemProperties(new Properties()).meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(dir.resolve("endpoints.json")).observationRegistry(observations)
                .module(new TestModule(Store.POSTGRES, TestModule.Greeter.class, Duration.ZERO))
                .endpoint(Store.POSTGRES, "db1.internal:5432").database(Store.POSTGRES, "orders").build();
    }

    @Test
    void aSuccessfulCallIsOneObservationWithTheStoreOperationAndSemanticConventionKeys() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        try (SuhoClients suho = clients(observations)) {
            suho.get(TestModule.Greeter.class).greet("ops");
        }
        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("suho.client.call", 1)
                .hasObservationWithNameEqualTo("suho.client.call").that()
                .hasContextualNameEqualTo("postgres greet")
                .hasLowCardinalityKeyValue("store", "postgres").hasLowCardinalityKeyValue("operation", "greet")
                .hasLowCardinalityKeyValue("outcome", "success").hasLowCardinalityKeyValue("db.system", "postgresql")
                .hasHighCardinalityKeyValue("db.namespace", "orders")
                .hasHighCardinalityKeyValue("server.address", "db1.internal")
                .hasHighCardinalityKeyValue("service", "order-service").hasBeenStarted().hasBeenStopped();
    }

    @Test
    void aFailedCallRecordsItsOutcomeAndError() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        try (SuhoClients suho = clients(observations)) {
            assertThatThrownBy(() -> suho.execute(Store.POSTGRES, "custom-write", false, () -> {
                throw new java.net.SocketTimeoutException("Read timed out");
            })).isInstanceOf(StoreTimeoutException.class);
        }
        assertThat(observations).hasObservationWithNameEqualTo("suho.client.call").that()
                .hasLowCardinalityKeyValue("operation", "custom-write").hasLowCardinalityKeyValue("outcome", "timeout")
                .assertThatError().isInstanceOf(StoreTimeoutException.class);
    }
}
