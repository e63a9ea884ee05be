package io.suho.client.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NatsSettingsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private static NatsSettings settings(Map<String, String> builder, Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.NATS));
        keys.addAll(NatsSettings.keys());
        return NatsSettings.from(SuhoConfig.create(builder, new Properties(), env, keys), TIMEOUT);
    }

    @Test
    void defaultsComeFromTheKeys() {
        NatsSettings s = settings(Map.of("suho.nats.hosts", "n1,n2:4333"), Map.of());
        assertThat(s.hosts()).containsExactly(new HostPort("n1", 4222), new HostPort("n2", 4333));
        assertThat(s.urls()).containsExactly("nats://n1:4222", "nats://n2:4333");
        assertThat(s.reconnectWait()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.reconnectBufferBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(s.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.timeout()).isEqualTo(TIMEOUT);
        assertThat(s.user()).isEmpty();
        assertThat(s.password()).isEmpty();
        assertThat(NatsSettings.keys()).extracting(ConfigKey::defaultValue).containsExactly("100ms", "8388608", "5s", null,
                null, null); // creds file, NKey seed, CA file: unset
    }

    @Test
    void tlsAndCredentialsAreReadAndThePasswordIsMasked() {
        NatsSettings s = settings(Map.of("suho.nats.hosts", "n1", "suho.nats.tls", "yes", "suho.nats.user", "app",
                "suho.nats.password", "pw-secret"), Map.of());
        assertThat(s.urls()).containsExactly("tls://n1:4222");
        assertThat(s.user()).contains("app");
        assertThat(s.password().orElseThrow().reveal()).isEqualTo("pw-secret");
        assertThat(s.toString()).doesNotContain("pw-secret");
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertThatThrownBy(() -> settings(Map.of("suho.nats.hosts", "n1", "suho.nats.reconnect-wait", "100"),
                Map.of())).isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.nats.reconnect-wait")
                .hasMessageContaining("add a unit");
        assertThatThrownBy(() -> settings(Map.of("suho.nats.hosts", "n1", "suho.nats.reconnect-buffer-bytes", "-2"),
                Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.nats.reconnect-buffer-bytes");
    }

    @Test
    void missingHostsSayHowToSetThem() {
        assertThatThrownBy(() -> settings(Map.of(), Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.nats.hosts");
    }

    @Test
    void everyKeyIsDocumentedInTheConfigurationReference() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (ConfigKey<?> k : NatsSettings.keys()) {
            assertThat(doc).as("docs/configuration.md documents " + k.name())
                    .contains(k.defaultValue() == null ? "| `" + k.name() + "` | "
                            : "| `" + k.name() + "` | `" + k.defaultValue() + "` |"); // no default: described
        }
    }
}
