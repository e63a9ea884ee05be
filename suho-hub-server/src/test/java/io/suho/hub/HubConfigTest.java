package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {

    @Test
    void defaultsMatchTheLocalStack() {
        HubConfig c = HubConfig.from(Map.of());
        assertThat(c.port()).isEqualTo(7000);
        assertThat(c.bindHost()).as("loopback unless told otherwise").isEqualTo("127.0.0.1");
        assertThat(c.tlsKeystore()).isEmpty();
        assertThat(c.token()).isEmpty();
        assertThat(c.targets().get(Store.POSTGRES).hosts()).containsExactly(new HostPort("127.0.0.1", 5432));
        assertThat(c.targets().get(Store.POSTGRES).database()).isEqualTo("suho_trading");
        assertThat(c.targets().get(Store.POSTGRES).user()).isEqualTo("postgres");
        assertThat(c.targets().get(Store.POSTGRES).password()).isNull();
        assertThat(c.targets().get(Store.CACHE).hosts()).containsExactly(new HostPort("127.0.0.1", 6379));
        assertThat(c.targets().get(Store.ANALYTICS).url().toString()).isEqualTo("http://127.0.0.1:8123");
        assertThat(c.targets().get(Store.ANALYTICS).database()).isEqualTo("suho_analytics");
        assertThat(c.targets().get(Store.NATS).monitorUrl().toString()).isEqualTo("http://127.0.0.1:8222");
        assertThat(c.targets().get(Store.KAFKA).hosts()).containsExactly(new HostPort("127.0.0.1", 9092));
        assertThat(c.targets()).doesNotContainKeys(Store.VECTOR, Store.GRAPH);
        assertThat(c.notConfiguredReason(Store.VECTOR)).isEqualTo("not configured: set WEAVIATE_URL");
        assertThat(c.required()).containsExactlyInAnyOrder(Store.POSTGRES, Store.CACHE, Store.ANALYTICS, Store.NATS,
                Store.KAFKA);
    }

    @Test
    void seedNamesAreRead() {
        HubConfig c = HubConfig.from(Map.of("POSTGRES_HOST", "pg1:5433,pg2:5434", "DRAGONFLY_HOST", "cache",
                "DRAGONFLY_PORT", "6380", "WEAVIATE_URL", "https://weaviate.internal", "ARANGO_URL",
                "http://arango:8529", "NATS_URL", "nats://n1:4222,nats://n2:4222", "KAFKA_BROKERS", "k1:9092,k2:9092",
                "SUHO_HUB_REQUIRED_STORES", "postgres,kafka", "SUHO_HUB_PROBE_KAFKA_INTERVAL", "30s"));
        assertThat(c.targets().get(Store.POSTGRES).hosts()).containsExactly(new HostPort("pg1", 5433),
                new HostPort("pg2", 5434));
        assertThat(c.targets().get(Store.CACHE).hosts()).containsExactly(new HostPort("cache", 6380));
        assertThat(c.targets().get(Store.VECTOR).hosts()).containsExactly(new HostPort("weaviate.internal", 443));
        assertThat(c.targets().get(Store.VECTOR).tls()).isTrue();
        assertThat(c.targets().get(Store.GRAPH).user()).isEqualTo("root");
        assertThat(c.targets().get(Store.NATS).hosts()).hasSize(2);
        assertThat(c.targets().get(Store.NATS).monitorUrl().toString()).isEqualTo("http://n1:8222");
        assertThat(c.targets().get(Store.KAFKA).hosts()).hasSize(2);
        assertThat(c.required()).containsExactlyInAnyOrder(Store.POSTGRES, Store.KAFKA);
        assertThat(c.probe(Store.KAFKA).interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.probe(Store.POSTGRES).interval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badValuesNameTheVariable() {
        for (Map<String, String> bad : List.of(Map.of("SUHO_HUB_PORT", "seventy"), Map.of("POSTGRES_PORT", "0"),
                Map.of("CLICKHOUSE_HTTP_PORT", "99999"), Map.of("SUHO_HUB_PROBE_INTERVAL", "fast"),
                Map.of("NATS_MONITOR_URL", "not a url"), Map.of("WEAVIATE_URL", "grpc://w:50051"),
                Map.of("SUHO_HUB_REQUIRED_STORES", "postgres,mysql"), Map.of("POSTGRES_TLS", "maybe"))) {
            String name = bad.keySet().iterator().next();
            assertThatThrownBy(() -> HubConfig.from(bad)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(name);
        }
    }

    @Test
    void aDurationNeedsAUnitLikeEverywhereInSuho() {
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_PROBE_INTERVAL", "5")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SUHO_HUB_PROBE_INTERVAL").hasMessageContaining("add a unit: 5s");
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_REAPER_INTERVAL", "2h")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SUHO_HUB_REAPER_INTERVAL").hasMessageContaining("between 1ms and 1h");
        HubConfig c = HubConfig.from(Map.of("SUHO_HUB_PROBE_INTERVAL", "2s", "SUHO_HUB_PROBE_NATS_INTERVAL", "500ms",
                "SUHO_HUB_PROBE_FAILURES", "5", "SUHO_HUB_REAPER_INTERVAL", "PT0.25S"));
        assertThat(c.probe(Store.POSTGRES).interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.probe(Store.NATS).interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.probe(Store.KAFKA).timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.probe(Store.CACHE).failuresToDown()).isEqualTo(5);
        assertThat(c.probe(Store.CACHE).successesToUp()).isEqualTo(2);
        assertThat(c.reaperInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aBadGlobalProbeValueFailsEvenWhenEveryStoreOverridesIt() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("SUHO_HUB_PROBE_TIMEOUT", "soon"));
        for (Store s : Store.values()) {
            env.put("SUHO_HUB_PROBE_" + s.name() + "_TIMEOUT", "1s");
        }
        assertThatThrownBy(() -> HubConfig.from(env)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SUHO_HUB_PROBE_TIMEOUT");
    }

    @Test
    void secretsComeFromFilesAndNeverShowInToString(@TempDir Path dir) throws Exception {
        Path pw = dir.resolve("pg");
        Files.writeString(pw, "s3cret-from-file\n");
        HubConfig c = HubConfig.from(Map.of("POSTGRES_PASSWORD_FILE", pw.toString(), "SUHO_HUB_TOKEN",
                "token-abcdefgh-0123456789abcdef0123"));
        assertThat(c.targets().get(Store.POSTGRES).password().reveal()).isEqualTo("s3cret-from-file");
        assertThat(c.toString()).doesNotContain("s3cret-from-file", "token-abcdefgh-0123456789abcdef0123");
        assertThat(c.secrets()).hasSize(2);
        assertThatThrownBy(() -> HubConfig.from(Map.of("POSTGRES_PASSWORD_FILE", dir.resolve("nope").toString())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("POSTGRES_PASSWORD_FILE");
    }

    @Test
    void aConfigFileIsReadAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hub.yaml");
        Files.writeString(file, "# flat YAML\nPOSTGRES_HOST: \"db.internal\"\nPOSTGRES_DB: orders\n"
                + "SUHO_HUB_PORT: 7100\n");
        HubConfig c = HubConfig.from(Map.of("SUHO_HUB_PORT", "7200"), file);
        assertThat(c.targets().get(Store.POSTGRES).hosts()).containsExactly(new HostPort("db.internal", 5432));
        assertThat(c.targets().get(Store.POSTGRES).database()).isEqualTo("orders");
        assertThat(c.port()).isEqualTo(7200);
    }

    @Test
    void refusesPlaceholderAndShortTokens() {
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_TOKEN", "CHANGE-ME-hub-token-0123456789abcdef")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("SUHO_HUB_TOKEN")
                .hasMessageContaining("CHANGE-ME").hasMessageNotContaining("hub-token-0123");
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_TOKEN", "only-31-characters-long-xxxxxxx")))
                .hasMessageContaining("SUHO_HUB_TOKEN").hasMessageContaining("32");
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_READ_TOKEN", "short-read-token")))
                .hasMessageContaining("SUHO_HUB_READ_TOKEN");
        assertThatThrownBy(() -> HubConfig.from(Map.of("POSTGRES_PASSWORD", "CHANGE-ME-postgres")))
                .hasMessageContaining("POSTGRES_PASSWORD").hasMessageContaining("placeholder");
        assertThat(HubConfig.from(Map.of("SUHO_HUB_TOKEN", "a".repeat(32))).token()).isPresent();
    }

    @Test
    void aKeystoreWithoutItsPasswordIsRefused(@TempDir Path dir) throws Exception {
        Path ks = Files.writeString(dir.resolve("hub.p12"), "not really");
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_TLS_KEYSTORE", ks.toString())))
                .hasMessageContaining("SUHO_HUB_TLS_KEYSTORE_PASSWORD");
        assertThatThrownBy(() -> HubConfig.from(Map.of("SUHO_HUB_TLS_KEYSTORE", dir.resolve("none.p12").toString(),
                "SUHO_HUB_TLS_KEYSTORE_PASSWORD", "pw"))).hasMessageContaining("not a readable file");
    }

    @Test
    void credentialsInsideAUrlAreUsedAndNeverShown() {
        HubConfig c = HubConfig.from(Map.of("ARANGO_URL", "http://app:ar%40ngo-pw@arango:8529",
                "WEAVIATE_URL", "https://wv-key-123@weaviate.example"));
        HubConfig.Target graph = c.targets().get(Store.GRAPH);
        assertThat(graph.user()).isEqualTo("app");
        assertThat(graph.password().reveal()).isEqualTo("ar@ngo-pw");
        assertThat(graph.url().toString()).isEqualTo("http://arango:8529").doesNotContain("ngo-pw");
        assertThat(c.targets().get(Store.VECTOR).password().reveal()).isEqualTo("wv-key-123");
        assertThat(c.targets().get(Store.VECTOR).url().toString()).doesNotContain("wv-key-123");
        assertThat(c.secrets()).extracting(Secret::reveal).contains("ar@ngo-pw", "wv-key-123");
        assertThat(HubConfig.from(Map.of("NATS_MONITOR_URL", "http://mon:m0n-pw@nats:8222")).targets()
                .get(Store.NATS).monitorUrl().toString()).isEqualTo("http://nats:8222");
        assertThatThrownBy(() -> HubConfig.from(Map.of("ARANGO_URL", "http://app:pw^x@arango host")))
                .hasMessageContaining("ARANGO_URL").hasMessageNotContaining("pw^x");
    }

    @Test
    void aDatabaseNameIsOnlyAName() {
        assertThatThrownBy(() -> HubConfig.from(Map.of("POSTGRES_DB", "x?sslmode=disable&a=")))
                .hasMessageContaining("POSTGRES_DB");
    }
}
