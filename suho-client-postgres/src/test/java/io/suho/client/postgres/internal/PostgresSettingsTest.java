package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PostgresSettingsTest {

    private static SuhoConfig config(Map<String, String> values) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(Store.POSTGRES));
        keys.addAll(PostgresSettings.keys());
        return SuhoConfig.create(values, new Properties(), Map.of("POSTGRES_HOST", "db1", "POSTGRES_DB", "orders"),
                keys);
    }

    private static PostgresSettings read(Map<String, String> values) {
        return PostgresSettings.read(config(values), "order-service", ResilienceConfig.defaults());
    }

    @Test
    void replicaPoolDefaultsToThePrimaryPoolSize() {
        assertThat(read(Map.of("suho.postgres.pool.max-size", "25")).replicaPoolMaxSize()).isEqualTo(25);
        assertThat(read(Map.of()).replicaPoolMaxSize()).isEqualTo(10);
        assertThat(read(Map.of("suho.postgres.pool.max-size", "25", "suho.postgres.replica.pool.max-size", "4"))
                .replicaPoolMaxSize()).isEqualTo(4);
    }

    @Test
    void defaultsComeFromTheKeysAndTheSeedEnvironment() {
        PostgresSettings s = read(Map.of());
        assertThat(s.hosts()).containsExactly(new HostPort("db1", 5432));
        assertThat(s.database()).isEqualTo("orders");
        assertThat(s.user()).isEqualTo("postgres");
        assertThat(s.poolMaxSize()).isEqualTo(10);
        assertThat(s.poolMinIdle()).isEqualTo(2);
        assertThat(s.poolMaxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.replicas()).isEmpty();
        assertThat(s.txMaxBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.timeSeriesMode()).isEqualTo("auto");
        assertThat(s.migrationLocations()).containsExactly("classpath:db/migration");
        assertThat(s.sdkMigrations()).isTrue();
        assertThat(s.timeouts().statement()).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void statementTimeoutZeroMeansNoneAndABareNumberOtherwiseNeedsAUnit() {
        assertThat(read(Map.of("suho.postgres.statement-timeout", "0")).timeouts().statement()).isZero();
        assertThatThrownBy(() -> read(Map.of("suho.postgres.statement-timeout", "5")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("add a unit: 5s");
    }

    @Test
    void minIdleAbovePoolSizeIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> read(Map.of("suho.postgres.pool.max-size", "3", "suho.postgres.pool.min-idle", "5")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.postgres.pool.min-idle")
                .hasMessageContaining("at most suho.postgres.pool.max-size (3)");
    }

    @Test
    void validationChecksSetValuesWithoutRequiringHosts() {
        SuhoConfig noHosts = SuhoConfig.create(Map.of("suho.postgres.timeseries.mode", "hyper"), new Properties(),
                Map.of(), PostgresSettings.keys());
        assertThatThrownBy(() -> new PostgresModule().validate(noHosts))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.postgres.timeseries.mode")
                .hasMessageContaining("expected one of auto, timescale, native");
        assertThatCode(() -> new PostgresModule().validate(SuhoConfig.create(Map.of(), new Properties(), Map.of(),
                PostgresSettings.keys()))).doesNotThrowAnyException();
    }

    @Test
    void replicaRoutingIsLatencyAwareByDefaultAndWeightsAreCheckedNamingTheKey() {
        PostgresSettings s = read(Map.of());
        assertThat(s.replicaRouting()).isEqualTo(io.suho.client.core.spi.ServerBalancer.Policy.LATENCY);
        assertThat(s.replicaDecay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.replicaWeights()).isEqualTo(io.suho.client.core.HostWeights.NONE);
        PostgresSettings rr = read(Map.of("suho.postgres.replica.routing", "Round-Robin",
                "suho.postgres.replica.weights", "pg-r1=0,pg-r2:5433=2"));
        assertThat(rr.replicaRouting()).isEqualTo(io.suho.client.core.spi.ServerBalancer.Policy.ROUND_ROBIN);
        assertThat(rr.replicaWeights().of(new HostPort("pg-r1", 5432))).isZero();
        assertThat(rr.replicaWeights().of(new HostPort("pg-r2", 5433))).isEqualTo(2.0);
        assertThatThrownBy(() -> read(Map.of("suho.postgres.replica.weights", "pg-r1:5432=-1")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.postgres.replica.weights")
                .hasMessageContaining("from 0 (drain)");
        assertThatThrownBy(() -> read(Map.of("suho.postgres.replica.routing", "fastest")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.postgres.replica.routing");
    }
}
