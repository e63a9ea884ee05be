package io.suho.client.analytics.internal;

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

class AnalyticsTlsTest {
    private static SuhoConfig config(Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.ANALYTICS));
        keys.addAll(new AnalyticsModule().configKeys());
        return SuhoConfig.create(Map.of(), new Properties(), env, keys);
    }

    @Test
    void aCaFileFromTheEnvironmentMustBeReadable(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ch-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(AnalyticsModule.caFile(config(Map.of("CLICKHOUSE_TLS_CA_FILE", ca.toString()))))
                .isEqualTo(ca.toString());
        assertThat(AnalyticsModule.caFile(config(Map.of()))).isNull();
        assertThatThrownBy(() -> AnalyticsModule.caFile(config(Map.of("CLICKHOUSE_TLS_CA_FILE",
                dir.resolve("none.pem").toString())))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.analytics.tls.ca-file");
    }
}
