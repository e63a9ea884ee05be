package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {
    private static final ConfigKey<Integer> POOL = ConfigKey.integer("suho.postgres.pool.max-size", "pool", 10, 1, 200);
    private static final ConfigKey<Integer> REPLICA_POOL = ConfigKey.integer("suho.postgres.replica.pool.max-size",
            "replica pool", 1, 200).withDefaultFrom(POOL);
    private static final ConfigKey<Duration> TIMEOUT = ConfigKey.duration("suho.hub.timeout", "t",
            Duration.ofSeconds(2));

    private static SuhoConfig config(Map<String, String> builder, Map<String, String> env, ConfigKey<?>... keys) {
        return SuhoConfig.create(builder, new Properties(), env, List.of(keys));
    }

    @Test
    void typedValueIsParsedFromWhicheverLayerSetsIt() {
        SuhoConfig c = config(Map.of(), Map.of("SUHO_POSTGRES_POOL_MAX_SIZE", "20"), POOL);
        assertThat(c.get(POOL)).isEqualTo(20);
        assertThat(config(Map.of(), Map.of(), POOL).get(POOL)).isEqualTo(10);
        assertThat(config(Map.of("suho.postgres.pool.max-size", " "), Map.of(), POOL).get(POOL))
                .as("blank counts as unset").isEqualTo(10);
    }

    @Test
    void outOfRangeNumberNamesKeySourceAndRange() {
        SuhoConfig c = config(Map.of(), Map.of("SUHO_POSTGRES_POOL_MAX_SIZE", "500"), POOL);
        assertThatThrownBy(() -> c.get(POOL))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.postgres.pool.max-size = '500'")
                .hasMessageContaining("the environment (SUHO_POSTGRES_POOL_MAX_SIZE)")
                .hasMessageContaining("between 1 and 200")
                .hasMessageContaining("fix:")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(POOL.name()));
    }

    @Test
    void bareNumberDurationIsRefusedWithTheUnitToAdd() {
        SuhoConfig c = config(Map.of(), Map.of("SUHO_HUB_TIMEOUT", "5"), TIMEOUT);
        assertThatThrownBy(() -> c.get(TIMEOUT))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.hub.timeout = '5' from the environment (SUHO_HUB_TIMEOUT)")
                .hasMessageContaining("add a unit: 5s")
                .hasMessageNotContaining("change it where it is set");
        assertThat(config(Map.of(), Map.of("SUHO_HUB_TIMEOUT", "5s"), TIMEOUT).get(TIMEOUT))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void durationRangeIsChecked() {
        ConfigKey<Duration> ttl = ConfigKey.duration("suho.cache.session.ttl", "ttl", Duration.ofMinutes(30),
                Duration.ofSeconds(1), Duration.ofDays(1));
        assertThatThrownBy(() -> config(Map.of("suho.cache.session.ttl", "2d"), Map.of(), ttl).get(ttl))
                .hasMessageContaining("between 1s and 24h");
        assertThat(ttl.defaultValue()).isEqualTo("30m");
    }

    @Test
    void replicaPoolDefaultsToThePrimaryPoolSize() {
        assertThat(config(Map.of(), Map.of("SUHO_POSTGRES_POOL_MAX_SIZE", "25"), POOL, REPLICA_POOL)
                .get(REPLICA_POOL)).isEqualTo(25);
        assertThat(config(Map.of(), Map.of(), POOL, REPLICA_POOL).get(REPLICA_POOL)).isEqualTo(10);
        SuhoConfig both = config(Map.of("suho.postgres.replica.pool.max-size", "4"),
                Map.of("SUHO_POSTGRES_POOL_MAX_SIZE", "25"), POOL, REPLICA_POOL);
        assertThat(both.get(REPLICA_POOL)).isEqualTo(4);
        assertThat(config(Map.of(), Map.of("SUHO_POSTGRES_POOL_MAX_SIZE", "25"), POOL, REPLICA_POOL)
                .find(REPLICA_POOL.name()).orElseThrow().value()).isEqualTo("25");
    }

    @Test
    void oneOfAcceptsAnyCaseAndListsTheChoices() {
        ConfigKey<String> mode = ConfigKey.oneOf("suho.postgres.timeseries.mode", "m", "auto", "auto", "timescale",
                "native");
        assertThat(config(Map.of(mode.name(), "Native"), Map.of(), mode).get(mode)).isEqualTo("native");
        assertThatThrownBy(() -> config(Map.of(mode.name(), "hyper"), Map.of(), mode).get(mode))
                .hasMessageContaining("expected one of auto, timescale, native");
        ConfigKey<Store> store = ConfigKey.oneOf("suho.x.store", "s", Store.class, Store.KAFKA);
        assertThat(config(Map.of("suho.x.store", "nats"), Map.of(), store).get(store)).isEqualTo(Store.NATS);
    }

    @Test
    void missingKeyWithoutDefaultIsEmptyOrNamesEveryWayToSetIt() {
        ConfigKey<List<HostPort>> hosts = StoreKeys.hostsKey(Store.POSTGRES);
        SuhoConfig c = config(Map.of(), Map.of(), hosts);
        assertThat(c.optional(hosts)).isEmpty();
        assertThatThrownBy(() -> c.get(hosts)).hasMessageContaining("SUHO_POSTGRES_HOSTS")
                .hasMessageContaining("POSTGRES_HOST");
    }

    @Test
    void secretsAreTypedAndMasked() {
        ConfigKey<Secret> pw = StoreKeys.passwordKey(Store.POSTGRES);
        SuhoConfig c = config(Map.of(), Map.of("POSTGRES_PASSWORD", "hunter2"), pw);
        assertThat(c.get(pw).reveal()).isEqualTo("hunter2");
        assertThat(pw.format(c.get(pw))).isEqualTo("****");
    }

    @Test
    void seedNamesAreAliasesOfTheSharedKeys() {
        SeedVariables pg = SeedVariables.of(Store.POSTGRES);
        assertThat(StoreKeys.databaseKey(Store.POSTGRES).envAliases()).containsExactly(pg.database());
        assertThat(StoreKeys.userKey(Store.POSTGRES).envAliases()).containsExactly(pg.user());
        assertThat(StoreKeys.passwordKey(Store.GRAPH).envAliases())
                .containsExactly("ARANGO_PASSWORD", "ARANGO_ROOT_PASSWORD");
        assertThat(SeedVariables.of(Store.NATS).describeAddress()).isEqualTo("NATS_URL");
        assertThat(SeedVariables.of(Store.ANALYTICS).describeAddress())
                .isEqualTo("CLICKHOUSE_HOST + CLICKHOUSE_HTTP_PORT");
        assertThat(SeedVariables.all()).extracting(SeedVariables::store).containsExactly(Store.values());
        assertThatThrownBy(() -> StoreKeys.passwordKey(Store.KAFKA)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsAreWrittenAsConfigurationText() {
        assertThat(POOL.defaultValue()).isEqualTo("10");
        assertThat(TIMEOUT.defaultValue()).isEqualTo("2s");
        assertThat(REPLICA_POOL.defaultValue()).isNull();
        assertThat(ConfigKey.duration("suho.x.y", "d", Duration.ofMillis(250)).defaultValue()).isEqualTo("250ms");
        assertThat(ConfigKey.duration("suho.x.y", "d", Duration.ofHours(72)).defaultValue()).isEqualTo("72h");
    }
}
