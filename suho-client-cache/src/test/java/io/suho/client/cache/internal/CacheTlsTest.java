package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTlsTest {
    private static SuhoConfig config(Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.CACHE));
        keys.addAll(CacheSettings.keys());
        return SuhoConfig.create(Map.of(), new Properties(), env, keys);
    }

    @Test
    void aCaFileFromTheEnvironmentMustBeReadable(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("redis-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(CacheSettings.caFile(config(Map.of("DRAGONFLY_TLS_CA_FILE", ca.toString()))))
                .isEqualTo(ca.toFile());
        assertThat(CacheSettings.caFile(config(Map.of()))).isNull();
        assertThatThrownBy(() -> CacheSettings.validate(config(Map.of("DRAGONFLY_TLS_CA_FILE",
                dir.resolve("none.pem").toString())))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.cache.tls.ca-file");
    }
}
