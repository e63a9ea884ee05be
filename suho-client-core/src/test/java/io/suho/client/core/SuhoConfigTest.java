package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuhoConfigTest {
    private static final List<ConfigKey<?>> KEYS = StoreKeys.common(Store.POSTGRES);

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void builderBeatsSystemPropertyBeatsEnvironmentBeatsHubBeatsFileBeatsDefault() {
        String key = "suho.postgres.database";
        SuhoConfig all = SuhoConfig.create(Map.of(key, "b"), props(key, "s"), Map.of("SUHO_POSTGRES_DATABASE", "e"), KEYS)
                .withRemoteLayers(Map.of(key, "h"), Map.of(key, "f"));
        assertThat(all.find(key).orElseThrow().source()).isEqualTo(ConfigSource.BUILDER);
        assertThat(all.get(key)).contains("b");

        SuhoConfig noBuilder = SuhoConfig.create(Map.of(), props(key, "s"), Map.of("SUHO_POSTGRES_DATABASE", "e"), KEYS)
                .withRemoteLayers(Map.of(key, "h"), Map.of(key, "f"));
        assertThat(noBuilder.get(key)).contains("s");

        SuhoConfig envOnly = SuhoConfig.create(Map.of(), props(), Map.of("SUHO_POSTGRES_DATABASE", "e"), KEYS)
                .withRemoteLayers(Map.of(key, "h"), Map.of(key, "f"));
        assertThat(envOnly.get(key)).contains("e");

        SuhoConfig hub = SuhoConfig.create(Map.of(), props(), Map.of(), KEYS)
                .withRemoteLayers(Map.of(key, "h"), Map.of(key, "f"));
        assertThat(hub.find(key).orElseThrow().source()).isEqualTo(ConfigSource.HUB);

        SuhoConfig file = SuhoConfig.create(Map.of(), props(), Map.of(), KEYS).withRemoteLayers(Map.of(), Map.of(key, "f"));
        assertThat(file.find(key).orElseThrow().source()).isEqualTo(ConfigSource.ENDPOINT_CACHE);

        SuhoConfig none = SuhoConfig.create(Map.of(), props(), Map.of(), KEYS);
        assertThat(none.find(key).orElseThrow().source()).isEqualTo(ConfigSource.DEFAULT);
        assertThat(none.get(key)).contains("suho_trading");
    }

    @Test
    void suhoEnvironmentNameBeatsSeedAlias() {
        SuhoConfig c = SuhoConfig.create(Map.of(), props(),
                Map.of("SUHO_POSTGRES_DATABASE", "suho", "POSTGRES_DB", "seed"), KEYS);
        assertThat(c.get("suho.postgres.database")).contains("suho");
        SuhoConfig seedOnly = SuhoConfig.create(Map.of(), props(), Map.of("POSTGRES_DB", "seed"), KEYS);
        assertThat(seedOnly.find("suho.postgres.database").orElseThrow().origin()).isEqualTo("POSTGRES_DB");
    }

    @Test
    void seedHostAndPortCombineIntoHosts() {
        SuhoConfig c = SuhoConfig.create(Map.of(), props(), Map.of("POSTGRES_HOST", "db1", "POSTGRES_PORT", "6543"), KEYS);
        assertThat(c.hosts(Store.POSTGRES)).containsExactly(new HostPort("db1", 6543));
        SuhoConfig noPort = SuhoConfig.create(Map.of(), props(), Map.of("POSTGRES_HOST", "db1"), KEYS);
        assertThat(noPort.hosts(Store.POSTGRES)).containsExactly(new HostPort("db1", 5432));
    }

    @Test
    void seedUrlsBecomeHostListsAndTls() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(StoreKeys.common(Store.NATS));
        keys.addAll(StoreKeys.common(Store.VECTOR));
        SuhoConfig c = SuhoConfig.create(Map.of(), props(), Map.of("NATS_URL", "nats://n1:4222, nats://n2",
                "WEAVIATE_URL", "https://weaviate.example"), keys);
        assertThat(c.hosts(Store.NATS)).containsExactly(new HostPort("n1", 4222), new HostPort("n2", 4222));
        assertThat(c.hosts(Store.VECTOR)).containsExactly(new HostPort("weaviate.example", 443));
        assertThat(c.get(StoreKeys.tlsKey(Store.VECTOR))).isTrue();
    }

    @Test
    void aSecretStillHoldingTheExamplePlaceholderIsRefusedWithoutShowingIt() {
        SuhoConfig c = SuhoConfig.create(Map.of(), props(), Map.of("POSTGRES_PASSWORD", "CHANGE-ME-postgres-pw"), KEYS);
        assertThatThrownBy(() -> c.get(StoreKeys.passwordKey(Store.POSTGRES)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("POSTGRES_PASSWORD")
                .hasMessageContaining("CHANGE-ME placeholder").hasMessageNotContaining("postgres-pw");
    }

    @Test
    void credentialsInsideAUrlAreHonouredAndNeverShown() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(StoreKeys.common(Store.GRAPH));
        keys.addAll(StoreKeys.common(Store.VECTOR));
        keys.addAll(StoreKeys.common(Store.NATS));
        SuhoConfig c = SuhoConfig.create(Map.of(), props(), Map.of("ARANGO_URL", "http://app:p%40ss-w0rd@arango:8529",
                "WEAVIATE_URL", "https://wv-api-key-1@weaviate.example", "NATS_URL", "nats://nats-tok3n@n1:4222"),
                keys);
        assertThat(c.get(StoreKeys.userKey(Store.GRAPH))).isEqualTo("app");
        assertThat(c.get(StoreKeys.passwordKey(Store.GRAPH)).reveal()).isEqualTo("p@ss-w0rd");
        assertThat(c.get(StoreKeys.passwordKey(Store.VECTOR)).reveal()).isEqualTo("wv-api-key-1");
        assertThat(c.get(StoreKeys.passwordKey(Store.NATS)).reveal()).isEqualTo("nats-tok3n");
        assertThat(c.hosts(Store.GRAPH)).containsExactly(new HostPort("arango", 8529));
        assertThat(c.find(StoreKeys.password(Store.GRAPH)).orElseThrow().toString()).doesNotContain("p@ss-w0rd");
        assertThat(c.toString()).doesNotContain("p@ss").doesNotContain("wv-api-key-1").doesNotContain("nats-tok3n");
        // an explicit password variable wins over the URL's
        SuhoConfig explicit = SuhoConfig.create(Map.of(), props(), Map.of("ARANGO_URL", "http://app:url-pw@arango",
                "ARANGO_PASSWORD", "explicit-pw"), keys);
        assertThat(explicit.get(StoreKeys.passwordKey(Store.GRAPH)).reveal()).isEqualTo("explicit-pw");
        // a URL that does not parse is reported without its credentials
        SuhoConfig bad = SuhoConfig.create(Map.of(), props(), Map.of("ARANGO_URL", "http://app:pw^x@arango host"),
                keys);
        assertThatThrownBy(() -> bad.hosts(Store.GRAPH)).hasMessageContaining("ARANGO_URL")
                .hasMessageNotContaining("pw^x");
    }

    @Test
    void secretIsReadFromFileNamedByEnvironmentAndTrailingNewlineDropped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pw");
        Files.writeString(f, "s3cret-value\n");
        SuhoConfig c = SuhoConfig.create(Map.of(), props(), Map.of("POSTGRES_PASSWORD_FILE", f.toString()), KEYS);
        assertThat(c.secret("suho.postgres.password").orElseThrow().reveal()).isEqualTo("s3cret-value");
        assertThat(c.find("suho.postgres.password").orElseThrow().source()).isEqualTo(ConfigSource.FILE);
    }

    @Test
    void unreadableSecretFileNamesTheKeyAndTheVariable(@TempDir Path dir) {
        SuhoConfig c = SuhoConfig.create(Map.of(), props(),
                Map.of("SUHO_POSTGRES_PASSWORD_FILE", dir.resolve("missing").toString()), KEYS);
        assertThatThrownBy(() -> c.secret("suho.postgres.password"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.postgres.password").hasMessageContaining("SUHO_POSTGRES_PASSWORD_FILE");
    }

    @Test
    void secretsAreNeverTakenFromTheHubOrTheEndpointFile() {
        SuhoConfig c = SuhoConfig.create(Map.of(), props(), Map.of(), KEYS)
                .withRemoteLayers(Map.of("suho.postgres.password", "from-hub"), Map.of("suho.postgres.password", "f"));
        assertThat(c.secret("suho.postgres.password")).isEmpty();
    }

    @Test
    void toStringMasksSecrets() {
        SuhoConfig c = SuhoConfig.create(Map.of("suho.postgres.password", "hunter2-very-secret",
                "suho.postgres.database", "orders"), props(), Map.of(), KEYS);
        assertThat(c.toString()).contains("suho.postgres.database=orders").contains("suho.postgres.password=****")
                .doesNotContain("hunter2");
        assertThat(c.find("suho.postgres.password").orElseThrow().toString()).doesNotContain("hunter2");
        assertThat(Secret.of("hunter2").toString()).isEqualTo("****");
    }

    @Test
    void invalidNumberNamesKeyValueSourceAndFix() {
        ConfigKey<Integer> pool = ConfigKey.integer("suho.postgres.pool.max-size", "pool", 10, 1, 200);
        SuhoConfig c = SuhoConfig.create(Map.of(), props(), Map.of("SUHO_POSTGRES_POOL_MAX_SIZE", "lots"),
                List.of(pool));
        assertThatThrownBy(() -> c.get(pool))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.postgres.pool.max-size").hasMessageContaining("'lots'")
                .hasMessageContaining("SUHO_POSTGRES_POOL_MAX_SIZE").hasMessageContaining("between 1 and 200")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo("suho.postgres.pool.max-size"));
    }

    @Test
    void invalidSecretValueIsMaskedInTheMessage() {
        ConfigKey<Duration> ttl = ConfigKey.duration("suho.x.token-ttl", "t", null).asSecret();
        SuhoConfig c = SuhoConfig.create(Map.of("suho.x.token-ttl", "topsecretvalue"), props(), Map.of(), List.of(ttl));
        assertThatThrownBy(() -> c.get(ttl))
                .hasMessageContaining("****").hasMessageNotContaining("topsecretvalue");
    }

    @Test
    void missingRequiredKeySaysEveryWayToSetIt() {
        SuhoConfig c = SuhoConfig.create(Map.of(), props(), Map.of(), KEYS);
        assertThatThrownBy(() -> c.hosts(Store.POSTGRES))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.postgres.hosts").hasMessageContaining("SUHO_POSTGRES_HOSTS")
                .hasMessageContaining("POSTGRES_HOST");
    }

    @Test
    void malformedHostListIsRejectedWithTheKey() {
        SuhoConfig c = SuhoConfig.create(Map.of("suho.postgres.hosts", "db1:notaport"), props(), Map.of(), KEYS);
        assertThatThrownBy(() -> c.hosts(Store.POSTGRES))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.postgres.hosts").hasMessageContaining("notaport");
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(SuhoConfig.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(SuhoConfig.parseDuration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(SuhoConfig.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SuhoConfig.parseDuration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> SuhoConfig.parseDuration("5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void booleansAreStrict() {
        ConfigKey<Boolean> eager = ConfigKey.bool("suho.eager-start", "e", false);
        assertThat(SuhoConfig.create(Map.of("suho.eager-start", "YES"), props(), Map.of(), List.of(eager))
                .get(eager)).isTrue();
        assertThatThrownBy(() -> SuhoConfig.create(Map.of("suho.eager-start", "maybe"), props(), Map.of(),
                List.of(eager)).get(eager)).hasMessageContaining("expected true or false");
    }

    @Test
    void systemPropertiesOutsideTheSuhoNamespaceAreIgnored() {
        SuhoConfig c = SuhoConfig.create(Map.of(), props("user.home", "/x", "suho.postgres.database", "p"), Map.of(),
                KEYS);
        assertThat(c.get("user.home")).isEmpty();
        assertThat(c.get("suho.postgres.database")).contains("p");
    }
}
