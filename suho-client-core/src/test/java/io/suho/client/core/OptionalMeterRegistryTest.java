package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meterRegistry(...)} is optional: null is "none given", not a NullPointerException. */
class OptionalMeterRegistryTest {

    @TempDir
    Path dir;

    private SuhoClients.Builder builder() {
        return SuhoClients.builder().serviceName("order-service").environment(Map.of())
                .systemProperties(new Properties()).endpointCacheFile(dir.resolve("endpoints.json"));
    }

    @Test
    void aNullRegistryMeansMicrometersGlobalRegistry() {
        try (SuhoClients suho = builder().meterRegistry(null).build()) {
            assertThat(suho.meterRegistry()).isSameAs(Metrics.globalRegistry);
        }
    }

    @Test
    void nullAfterARegistryTakesTheChoiceBack() {
        try (SuhoClients suho = builder().meterRegistry(new SimpleMeterRegistry()).meterRegistry(null).build()) {
            assertThat(suho.meterRegistry()).isSameAs(Metrics.globalRegistry);
        }
    }

    @Test
    void aGivenRegistryIsUsed() {
        SimpleMeterRegistry mine = new SimpleMeterRegistry();
        try (SuhoClients suho = builder().meterRegistry(mine).build()) {
            assertThat(suho.meterRegistry()).isSameAs(mine);
        }
    }
}
