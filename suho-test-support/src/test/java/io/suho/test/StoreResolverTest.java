package io.suho.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.SuhoConfig;
import org.junit.jupiter.api.Test;

class StoreResolverTest {
    @Test
    void parsesExplicitUrlsWithCredentialsAndDatabase() {
        StoreServer pg = StoreResolver.fromUrl(StoreKind.POSTGRES, "postgresql://app:p%40ss@db.example:6432/orders");
        assertThat(pg.host()).isEqualTo("db.example");
        assertThat(pg.port()).isEqualTo(6432);
        assertThat(pg.user()).isEqualTo("app");
        assertThat(pg.password()).isEqualTo("p@ss");
        assertThat(pg.database()).isEqualTo("orders");
        assertThat(pg.source()).isEqualTo("env");
        assertThat(pg.toString()).doesNotContain("p@ss");

        StoreServer redis = StoreResolver.fromUrl(StoreKind.REDIS, "redis://:secret@cache:6380");
        assertThat(redis.user()).isNull();
        assertThat(redis.password()).isEqualTo("secret");

        StoreServer kafka = StoreResolver.fromUrl(StoreKind.KAFKA, "broker1:19092");
        assertThat(kafka.hostPort()).isEqualTo("broker1:19092");

        StoreServer jdbc = StoreResolver.fromUrl(StoreKind.POSTGRES, "jdbc:postgresql://h/db");
        assertThat(jdbc.port()).isEqualTo(5432);
    }

    @Test
    void rejectsUrlsWithoutHost() {
        assertThatThrownBy(() -> StoreResolver.fromUrl(StoreKind.NATS, "nats:///x")).hasMessageContaining("no host");
    }

    @Test
    void configuresABuilderForTheStore() {
        StoreServer pg = new StoreServer(StoreKind.POSTGRES, "10.1.2.3", 5432, "u", "pw", "db", "env");
        try (SuhoClients suho = pg.configure(SuhoClients.builder().serviceName("t")
                .environment(java.util.Map.of()).systemProperties(new java.util.Properties())).build()) {
            SuhoConfig c = suho.config();
            assertThat(c.get("suho.postgres.hosts")).contains("10.1.2.3:5432");
            assertThat(c.get("suho.postgres.database")).contains("db");
            assertThat(c.get("suho.postgres.user")).contains("u");
        }
        assertThat(pg.store()).isEqualTo(Store.POSTGRES);
    }

    @Test
    void localStackKnowsEveryLocalKindAndNoneOfTheOthers() {
        for (StoreKind k : StoreKind.values()) {
            assertThat(LocalStack.server(k) != null).as(k.name()).isEqualTo(k.localName() != null);
        }
    }
}
