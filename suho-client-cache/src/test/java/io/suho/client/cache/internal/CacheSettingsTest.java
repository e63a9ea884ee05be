package io.suho.client.cache.internal;

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

class CacheSettingsTest {

    private static SuhoConfig config(Map<String, String> values, Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.CACHE));
        keys.addAll(CacheSettings.keys());
        return SuhoConfig.create(values, new Properties(), env, keys);
    }

    @Test
    void defaultsComeFromTheKeysAndTheSeedEnvironment() {
        CacheSettings s = CacheSettings.read(config(Map.of(), Map.of("DRAGONFLY_HOST", "cache1",
                "DRAGONFLY_PORT", "6380", "DRAGONFLY_PASSWORD", "pw")), "order-service");
        assertThat(s.hosts()).containsExactly(new HostPort("cache1", 6380));
        assertThat(s.password().reveal()).isEqualTo("pw");
        assertThat(s.user()).isNull();
        assertThat(s.namespace()).isEqualTo("order-service");
        assertThat(s.database()).isZero();
        assertThat(s.keyMaxLength()).isEqualTo(1024);
        assertThat(s.reconnectMaxDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.sessionTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.tlsVerifyPeer()).isTrue();
        assertThat(s.commandLatencyMetrics()).isTrue();
        assertThat(s.fallbackToLoader()).isFalse();
    }

    @Test
    void reconnectDelayOutsideTenMillisecondsToAMinuteIsRefused() {
        assertThatThrownBy(() -> CacheSettings.read(config(Map.of("suho.cache.hosts", "c:6379",
                "suho.cache.reconnect.max-delay", "5ms"), Map.of()), "svc"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.cache.reconnect.max-delay")
                .hasMessageContaining("between 10ms and 1m");
    }

    @Test
    void validationChecksSetValuesWithoutRequiringHosts() {
        assertThatThrownBy(() -> new CacheModule().validate(config(Map.of("suho.cache.database", "-1"), Map.of())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.cache.database");
        assertThatCode(() -> new CacheModule().validate(config(Map.of(), Map.of()))).doesNotThrowAnyException();
    }
}
