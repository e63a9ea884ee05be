package io.suho.client.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.SuhoClients;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka module's keys are checked at build(), before anything starts (lazy start: no broker needed). */
class KafkaModuleTest {
    @TempDir
    Path dir;

    private SuhoClients.Builder builder() {
        return SuhoClients.builder().serviceName("kafka-module-test").environment(Map.of())
                .systemProperties(new Properties()).meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(dir.resolve("endpoints.json"));
    }

    @Test
    void anInvalidPerTypeHybridPolicyFailsBuild() {
        assertThatThrownBy(() -> builder().set("suho.messaging.hybrid.policy.order.created", "later").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.messaging.hybrid.policy.order.created")
                .hasMessageContaining("NATS_FIRST");
    }

    @Test
    void anInvalidTopicDefaultFailsBuild() {
        assertThatThrownBy(() -> builder().set("suho.kafka.topic.partitions", "none").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.kafka.topic.partitions");
    }

    @Test
    void validSettingsBuildWithoutABroker() {
        try (SuhoClients suho = builder().set("suho.messaging.hybrid.policy.order.created", "nats-first")
                .set("suho.kafka.producer.linger.ms", "10").build()) {
            assertThat(suho).isNotNull();
        }
    }
}
