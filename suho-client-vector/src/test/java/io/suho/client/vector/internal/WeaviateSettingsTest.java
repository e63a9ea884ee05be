package io.suho.client.vector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WeaviateSettingsTest {

    private static SuhoConfig config(Map<String, String> builder, Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.VECTOR));
        keys.addAll(WeaviateSettings.keys());
        return SuhoConfig.create(builder, new Properties(), env, keys);
    }

    @Test
    void readsTheSeedUrlAndDefaults() {
        WeaviateSettings s = WeaviateSettings.from(config(Map.of(), Map.of("WEAVIATE_URL", "http://weaviate:8080")),
                Duration.ofMillis(1500));
        assertThat(s.baseUrl()).isEqualTo("http://weaviate:8080");
        assertThat(s.grpcHost()).isEqualTo("weaviate");
        assertThat(s.grpcPort()).isEqualTo(50051);
        assertThat(s.batchSize()).isEqualTo(100);
        assertThat(s.apiKey()).isEmpty();
        assertThat(s.timeoutSeconds()).isEqualTo(2);
    }

    @Test
    void httpsUrlTurnsOnTls() {
        WeaviateSettings s = WeaviateSettings.from(config(Map.of(), Map.of("WEAVIATE_URL", "https://vec.example.com")),
                Duration.ofSeconds(1));
        assertThat(s.tls()).isTrue();
        assertThat(s.baseUrl()).isEqualTo("https://vec.example.com:443");
    }

    @Test
    void subSecondTimeoutsRoundUpToOneSecondForTheDriver() {
        assertThat(WeaviateSettings.ceilSeconds(Duration.ofMillis(200))).isEqualTo(1);
        assertThat(WeaviateSettings.ceilSeconds(Duration.ofMillis(1001))).isEqualTo(2);
    }

    @Test
    void apiKeyIsASecretNeverPrinted() {
        WeaviateSettings s = WeaviateSettings.from(config(Map.of("suho.vector.hosts", "h:8080"),
                Map.of("WEAVIATE_API_KEY", "k-123-secret")), Duration.ofSeconds(1));
        assertThat(s.apiKey()).isPresent();
        assertThat(s.apiKey().get().reveal()).isEqualTo("k-123-secret");
        assertThat(s.toString()).contains("api-key").doesNotContain("k-123-secret");
    }

    @Test
    void separateGrpcEndpoint() {
        WeaviateSettings s = WeaviateSettings.from(config(Map.of("suho.vector.hosts", "rest:8080",
                "suho.vector.grpc.host", "grpc-rest", "suho.vector.grpc.port", "443"), Map.of()), Duration.ofSeconds(1));
        assertThat(s.grpcHost()).isEqualTo("grpc-rest");
        assertThat(s.grpcPort()).isEqualTo(443);
    }

    @Test
    void invalidValuesNameTheKey() {
        assertThatThrownBy(() -> WeaviateSettings.from(config(Map.of("suho.vector.hosts", "h:8080",
                "suho.vector.grpc.port", "70000"), Map.of()), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.vector.grpc.port");
        assertThatThrownBy(() -> WeaviateSettings.from(config(Map.of("suho.vector.hosts", "h:8080",
                "suho.vector.batch.size", "0"), Map.of()), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.vector.batch.size");
        assertThatThrownBy(() -> WeaviateSettings.from(config(Map.of("suho.vector.hosts", "h:8080",
                "suho.vector.grpc.host", "http://x"), Map.of()), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.vector.grpc.host");
    }

    @Test
    void buildTimeValidationChecksSetValuesWithoutRequiringHosts() {
        assertThatThrownBy(() -> new WeaviateModule().validate(config(Map.of("suho.vector.batch.size", "0"),
                Map.of()))).isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.vector.batch.size");
        assertThatCode(() -> new WeaviateModule().validate(config(Map.of(), Map.of()))).doesNotThrowAnyException();
    }

    @Test
    void missingHostsSayHowToSetThem() {
        assertThatThrownBy(() -> WeaviateSettings.from(config(Map.of(), Map.of()), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.vector.hosts")
                .hasMessageContaining("WEAVIATE_URL");
    }

    @Test
    void everyKeyIsDocumentedInTheConfigurationReference() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "configuration.md"));
        for (ConfigKey<?> k : WeaviateSettings.keys()) {
            assertThat(doc).as("docs/configuration.md documents " + k.name()).contains("`" + k.name() + "`");
        }
    }
}
