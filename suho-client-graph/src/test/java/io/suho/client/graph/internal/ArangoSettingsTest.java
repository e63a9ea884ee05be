package io.suho.client.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.arangodb.Protocol;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ArangoSettingsTest {

    private static SuhoConfig config(Map<String, String> builder, Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.GRAPH));
        keys.addAll(ArangoSettings.keys());
        return SuhoConfig.create(builder, new Properties(), env, keys);
    }

    @Test
    void readsTheSeedEnvironment() {
        ArangoSettings s = ArangoSettings.from(config(Map.of(), Map.of("ARANGO_URL", "http://arango:8529",
                "ARANGO_ROOT_PASSWORD", "pw-secret")), Duration.ofMillis(750));
        assertThat(s.hosts()).containsExactly(new HostPort("arango", 8529));
        assertThat(s.user()).isEqualTo("root");
        assertThat(s.database()).isEqualTo("suho_graph");
        assertThat(s.protocol()).isEqualTo(Protocol.HTTP2_JSON);
        assertThat(s.timeoutMillis()).isEqualTo(750);
        assertThat(s.password().orElseThrow().reveal()).isEqualTo("pw-secret");
        assertThat(s.toString()).doesNotContain("pw-secret");
    }

    @Test
    void severalCoordinatorsAreKept() {
        ArangoSettings s = ArangoSettings.from(config(Map.of("suho.graph.hosts", "c1:8529,c2:8529"), Map.of()),
                Duration.ofSeconds(1));
        assertThat(s.hosts()).hasSize(2);
    }

    @Test
    void protocolAndCursorSettings() {
        ArangoSettings s = ArangoSettings.from(config(Map.of("suho.graph.hosts", "h", "suho.graph.protocol", "http1",
                "suho.graph.cursor.batch-size", "250", "suho.graph.max-connections", "8"), Map.of()),
                Duration.ofSeconds(1));
        assertThat(s.protocol()).isEqualTo(Protocol.HTTP_JSON);
        assertThat(s.cursorBatchSize()).isEqualTo(250);
        assertThat(s.maxConnections()).isEqualTo(8);
        assertThat(s.hosts().get(0).port()).isEqualTo(8529);
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertThatThrownBy(() -> ArangoSettings.from(config(Map.of("suho.graph.hosts", "h",
                "suho.graph.protocol", "vst"), Map.of()), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.graph.protocol");
        assertThatThrownBy(() -> ArangoSettings.from(config(Map.of("suho.graph.hosts", "h",
                "suho.graph.database", "_system"), Map.of()), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.graph.database");
        assertThatThrownBy(() -> ArangoSettings.from(config(Map.of("suho.graph.hosts", "h",
                "suho.graph.cursor.batch-size", "0"), Map.of()), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.graph.cursor.batch-size");
    }

    @Test
    void buildTimeValidationChecksSetValuesWithoutRequiringHosts() {
        assertThatThrownBy(() -> new ArangoModule().validate(config(Map.of("suho.graph.cursor.ttl", "500ms"),
                Map.of()))).isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.graph.cursor.ttl")
                .hasMessageContaining("at least 1s");
        assertThatCode(() -> new ArangoModule().validate(config(Map.of(), Map.of()))).doesNotThrowAnyException();
    }

    @Test
    void missingHostsSayHowToSetThem() {
        assertThatThrownBy(() -> ArangoSettings.from(config(Map.of(), Map.of()), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("ARANGO_URL");
    }

    @Test
    void everyKeyIsDocumentedInTheConfigurationReference() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "configuration.md"));
        for (ConfigKey<?> k : ArangoSettings.keys()) {
            assertThat(doc).as("docs/configuration.md documents " + k.name()).contains("`" + k.name() + "`");
        }
    }
}
