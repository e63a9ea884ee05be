package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class AnalyticsSettingsTest {

    private static SuhoConfig config(Map<String, String> values, Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.ANALYTICS));
        keys.addAll(AnalyticsSettings.keys());
        return SuhoConfig.create(values, new Properties(), env, keys);
    }

    @Test
    void defaultsComeFromTheKeysAndTheSeedEnvironment() {
        AnalyticsSettings s = AnalyticsSettings.read(config(Map.of(), Map.of("CLICKHOUSE_HOST", "ch1",
                "CLICKHOUSE_HTTP_PORT", "8124", "CLICKHOUSE_PASSWORD", "pw")), Duration.ofSeconds(10));
        assertThat(s.hosts()).containsExactly(new HostPort("ch1", 8124));
        assertThat(s.database()).isEqualTo("suho_analytics");
        assertThat(s.user()).isEqualTo("default");
        assertThat(s.passwordText()).isEqualTo("pw");
        assertThat(s.toString()).doesNotContain("pw]");
        assertThat(s.maxConnections()).isEqualTo(10);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.pointTimeout()).isEqualTo(Duration.ofMillis(600));
        assertThat(s.connectionTtl()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void connectTimeoutIsCappedAtTheStoreTimeout() {
        AnalyticsSettings s = AnalyticsSettings.read(config(Map.of("suho.analytics.hosts", "ch:8123",
                "suho.analytics.connect-timeout", "5s"), Map.of()), Duration.ofSeconds(2));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void zeroPointTimeoutIsRefusedAtBuildWithoutHosts() {
        assertThatThrownBy(() -> new AnalyticsModule().validate(config(Map.of("suho.analytics.point-timeout", "0ms"),
                Map.of()))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.analytics.point-timeout").hasMessageContaining("positive");
        assertThatCode(() -> new AnalyticsModule().validate(config(Map.of(), Map.of()))).doesNotThrowAnyException();
    }
}
