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

    @Test
    void aReceivedMessagesHandlerRunsWithTheSendersTraceIdsInTheMdcEvenWithoutATracer() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        io.suho.client.core.spi.StoreExecutor exec = new io.suho.client.core.internal.CallPipeline(Store.NATS, "svc",
                new SimpleMeterRegistry(), ResilienceConfig.defaults(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
        String[] seen = exec.process("js_consume", io.suho.client.core.spi.CallDetail.received("orders",
                Map.of("traceparent", traceparent)), () -> new String[] {org.slf4j.MDC.get("traceId"),
                        org.slf4j.MDC.get("spanId")});
        org.assertj.core.api.Assertions.assertThat(seen)
                .containsExactly("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        org.assertj.core.api.Assertions.assertThat(org.slf4j.MDC.get("traceId")).isNull();
    }

    @Test
    void aReceivedMessagesHandlerIsAConsumerObservationWithItsOutcome() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        io.suho.client.core.spi.StoreExecutor exec = new io.suho.client.core.internal.CallPipeline(Store.KAFKA, "svc",
                new SimpleMeterRegistry(), ResilienceConfig.defaults(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(), observations,
                SuhoConfig.create(Map.of(), new Properties(), Map.of(), java.util.List.of()));
        assertThatThrownBy(() -> exec.process("kafka_consume", io.suho.client.core.spi.CallDetail.received("orders",
                Map.of()), () -> {
                    throw new IllegalStateException("handler failed");
                })).isInstanceOf(IllegalStateException.class);
        assertThat(observations).hasObservationWithNameEqualTo("suho.client.process").that()
                .hasContextualNameEqualTo("orders process").hasLowCardinalityKeyValue("messaging.system", "kafka")
                .hasLowCardinalityKeyValue("outcome", "error")
                .hasHighCardinalityKeyValue("messaging.destination.name", "orders");
    }
}
