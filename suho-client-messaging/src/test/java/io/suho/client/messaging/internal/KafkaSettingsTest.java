package io.suho.client.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.messaging.HybridPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(600);

    private static SuhoConfig config(Map<String, String> builder, Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.KAFKA));
        keys.addAll(KafkaSettings.keys());
        return SuhoConfig.create(builder, new Properties(), env, keys);
    }

    private static KafkaSettings settings(Map<String, String> builder) {
        Map<String, String> b = new HashMap<>(builder);
        b.putIfAbsent("suho.kafka.hosts", "k1:9092,k2");
        return KafkaSettings.from(config(b, Map.of()), TIMEOUT);
    }

    @Test
    void defaultsComeFromTheKeys() {
        KafkaSettings s = settings(Map.of());
        assertThat(s.hosts()).containsExactly(new HostPort("k1", 9092), new HostPort("k2", 9092));
        assertThat(s.tls()).isFalse();
        assertThat(s.topicPartitions()).isEqualTo(6);
        assertThat(s.topicReplication()).isEqualTo((short) 1);
        assertThat(s.topicRetention()).isEqualTo(Duration.ofHours(72));
        assertThat(s.deliveryTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.hybridPolicy()).isEqualTo(HybridPolicy.BOTH);
        assertThat(s.hybridPolicies()).isEmpty();
        assertThat(KafkaSettings.keys()).extracting(ConfigKey::defaultValue)
                .containsExactly("6", "1", "72h", "2m", "BOTH", null, null, null, null, null); // security: unset
    }

    @Test
    void readsTheSeedBrokerList() {
        KafkaSettings s = KafkaSettings.from(config(Map.of(), Map.of("KAFKA_BROKERS", "kafka:29092")), TIMEOUT);
        assertThat(s.hosts()).containsExactly(new HostPort("kafka", 29092));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertThatThrownBy(() -> settings(Map.of("suho.kafka.topic.partitions", "0")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.kafka.topic.partitions");
        assertThatThrownBy(() -> settings(Map.of("suho.kafka.topic.replication-factor", "33")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.kafka.topic.replication-factor");
        assertThatThrownBy(() -> settings(Map.of("suho.kafka.topic.retention", "5")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.kafka.topic.retention")
                .hasMessageContaining("add a unit");
        assertThatThrownBy(() -> settings(Map.of("suho.messaging.hybrid.policy", "sometimes")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.messaging.hybrid.policy")
                .hasMessageContaining("NATS_FIRST");
    }

    @Test
    void hybridPoliciesAcceptAnyCaseAndDashes() {
        KafkaSettings s = settings(Map.of("suho.messaging.hybrid.policy", "either",
                "suho.messaging.hybrid.policy.order.created", "nats-first",
                "suho.messaging.hybrid.policy.OrderShipped", "KAFKA_ONLY"));
        assertThat(s.hybridPolicy()).isEqualTo(HybridPolicy.EITHER);
        assertThat(s.hybridPolicies()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "order.created", HybridPolicy.NATS_FIRST, "OrderShipped", HybridPolicy.KAFKA_ONLY));
    }

    @Test
    void anInvalidPerTypePolicyFailsValidationEvenWithoutHosts() {
        SuhoConfig c = config(Map.of("suho.messaging.hybrid.policy.order.created", "later"), Map.of());
        assertThatThrownBy(() -> new KafkaModule().validate(c))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.messaging.hybrid.policy.order.created").hasMessageContaining("later");
    }

    @Test
    void producerKeepsAcksAllAndIdempotenceUnlessOverridden() {
        KafkaSettings s = settings(Map.of("suho.kafka.producer.linger.ms", "20"));
        Map<String, Object> p = s.producerProperties("svc-1-producer");
        assertThat(p).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 300)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000)
                .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "k1:9092,k2:9092");
        assertThat(KafkaSettings.weakensDelivery(p)).isFalse();
        assertThat(KafkaSettings.weakensDelivery(settings(Map.of("suho.kafka.producer.acks", "1"))
                .producerProperties("x"))).isTrue();
    }

    @Test
    void deliveryTimeoutIsRaisedToLingerPlusRequestTimeout() {
        Map<String, Object> p = settings(Map.of("suho.kafka.producer.delivery.timeout.ms", "100",
                "suho.kafka.producer.linger.ms", "50")).producerProperties("x");
        assertThat(p).containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 50 + 300);
    }

    @Test
    void adminWaitsAtLeastFiveSecondsAndPassThroughKeysApply() {
        KafkaSettings s = settings(Map.of("suho.kafka.client.security.protocol", "SASL_SSL",
                "suho.kafka.admin.retries", "3"));
        Map<String, Object> a = s.adminProperties("x");
        assertThat(a).containsEntry(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)
                .containsEntry(AdminClientConfig.RETRIES_CONFIG, "3")
                .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        assertThat(s.consumerProperties()).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                .containsEntry("default.api.timeout.ms", 5_000);
        assertThat(s.closeGrace()).isEqualTo(TIMEOUT);
    }

    @Test
    void tlsSelectsSsl() {
        assertThat(settings(Map.of("suho.kafka.tls", "true")).connection())
                .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
    }

    @Test
    void everyKeyIsDocumentedInTheConfigurationReference() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (ConfigKey<?> k : KafkaSettings.keys()) {
            assertThat(doc).as("docs/configuration.md documents " + k.name())
                    .contains(k.defaultValue() == null ? "| `" + k.name() + "` | "
                            : "| `" + k.name() + "` | `" + k.defaultValue() + "` |"); // no default: described
        }
        for (String prefix : KafkaSettings.prefixes()) {
            assertThat(doc).as("docs/configuration.md documents " + prefix).contains("`" + prefix);
        }
    }
}
