package io.suho.client.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {
    private static final ConfigKey<Integer> POOL = ConfigKey.integer("suho.postgres.pool.max-size", "pool", 10, 1,
            200);

    private static SuhoConfig config(Map<String, String> builder, Properties system, Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(ClientKeys.ALL);
        keys.addAll(StoreKeys.common(Store.POSTGRES));
        keys.add(POOL);
        return SuhoConfig.create(builder, system, env, keys);
    }

    private static List<String> warnings(SuhoConfig c) {
        return UnknownKeys.warnings(c, List.of("suho.postgres.driver."), List.of("suho.cache."));
    }

    @Test
    void misspelledKeyGetsOneWarningNamingTheClosestKnownKey() {
        Properties system = new Properties();
        system.setProperty("suho.postgres.pool.max-sise", "20");
        List<String> w = warnings(config(Map.of(), system, Map.of()));
        assertThat(w).singleElement().asString()
                .contains("suho.postgres.pool.max-sise").contains("a system property")
                .contains("did you mean suho.postgres.pool.max-size?");
    }

    @Test
    void misspelledEnvironmentVariableNamesTheVariableToUse() {
        List<String> w = warnings(config(Map.of(), new Properties(), Map.of("SUHO_HUB_TIME_OUT", "2s")));
        assertThat(w).singleElement().asString().contains("SUHO_HUB_TIME_OUT")
                .contains("did you mean SUHO_HUB_TIMEOUT (suho.hub.timeout)?");
    }

    @Test
    void knownKeysSecretFilesPassThroughPrefixesAndAbsentStoresAreQuiet() {
        Properties system = new Properties();
        system.setProperty("suho.postgres.password.file", "/run/secrets/pg");
        system.setProperty("suho.postgres.driver.tcpKeepAlive", "true");
        SuhoConfig c = config(Map.of("suho.postgres.pool.max-size", "20", "suho.cache.namespace", "orders"), system,
                Map.of("SUHO_SERVICE_NAME", "orders", "SUHO_POSTGRES_PASSWORD_FILE", "/run/secrets/pg",
                        "SUHO_CACHE_HOSTS", "cache:6379", "POSTGRES_HOST", "db", "PATH", "/usr/bin"));
        assertThat(warnings(c)).isEmpty();
    }

    @Test
    void theTestHarnessSwitchesAreNotSdkSettingsAndAreQuiet() {
        Properties system = new Properties();
        system.setProperty("suho.test.require", "postgres,redis");
        system.setProperty("suho.tset.require", "postgres"); // a real typo outside the reserved prefix still warns
        SuhoConfig c = config(Map.of(), system, Map.of("SUHO_TEST_REQUIRE", "postgres",
                "SUHO_TEST_PREFER_CONTAINERS", "true"));
        assertThat(warnings(c)).singleElement().asString().contains("suho.tset.require");
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(UnknownKeys.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(UnknownKeys.distance("", "abc")).isEqualTo(3);
        assertThat(UnknownKeys.distance("same", "same")).isZero();
    }
}
