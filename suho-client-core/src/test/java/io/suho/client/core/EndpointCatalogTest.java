package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointCatalogTest {
    @Test
    void roundTripsThroughJsonAndMapsToConfigKeys() {
        EndpointCatalog c = new EndpointCatalog(7, Map.of(
                Store.POSTGRES, new StoreEndpoint(List.of(new HostPort("pg1", 5432), new HostPort("pg2", 5433)),
                        "suho_trading", true, Map.of("pool.max-size", "20")),
                Store.KAFKA, StoreEndpoint.of(List.of(new HostPort("k1", 9092)), null)));
        EndpointCatalog back = EndpointCatalog.fromJson(c.toJson());
        assertThat(back).isEqualTo(c);
        assertThat(back.toConfig()).containsEntry("suho.postgres.hosts", "pg1:5432,pg2:5433")
                .containsEntry("suho.postgres.database", "suho_trading").containsEntry("suho.postgres.tls", "true")
                .containsEntry("suho.postgres.pool.max-size", "20").containsEntry("suho.kafka.hosts", "k1:9092")
                .doesNotContainKey("suho.kafka.database");
    }

    @Test
    void ignoresUnknownStoresAndRejectsMalformedOnes() {
        assertThat(EndpointCatalog.fromJson("{\"version\":1,\"stores\":{\"mongo\":{\"hosts\":[\"m:1\"]}}}").stores())
                .isEmpty();
        assertThatThrownBy(() -> EndpointCatalog.fromJson("{\"version\":1,\"stores\":{\"cache\":{\"hosts\":[]}}}"))
                .hasMessageContaining("cache");
        assertThatThrownBy(() -> EndpointCatalog.fromJson("[]")).hasMessageContaining("version");
        assertThatThrownBy(() -> EndpointCatalog.fromJson("{oops")).hasMessageContaining("not JSON");
    }

    @Test
    void endpointsRefuseCredentialLikeProperties() {
        assertThatThrownBy(() -> new StoreEndpoint(List.of(new HostPort("h", 1)), null, false,
                Map.of("password", "x"))).hasMessageContaining("credential");
    }

    @Test
    void refusesPropertiesOutsideTheAllowList() {
        for (String key : List.of("tls.verify-peer", "tls", "replicas", "migrations.enabled", "migrations.locations",
                "user", "namespace", "hosts")) {
            assertThatThrownBy(() -> EndpointCatalog.fromJson("{\"version\":1,\"stores\":{\"cache\":{\"hosts\":"
                    + "[\"c:6379\"],\"properties\":{\"" + key + "\":\"false\"}}}}"))
                    .as(key).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cache").hasMessageContaining("'" + key + "'");
        }
    }

    @Test
    void refusesADatabaseNameThatCouldCarryJdbcParameters() {
        assertThatThrownBy(() -> EndpointCatalog.fromJson("{\"version\":1,\"stores\":{\"postgres\":{\"hosts\":"
                + "[\"pg:5432\"],\"database\":\"x?sslmode=disable&a=\"}}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgres")
                .hasMessageContaining("database name");
        assertThatThrownBy(() -> StoreEndpoint.of(List.of(new HostPort("h", 1)), "db/other"))
                .hasMessageContaining("database name");
        assertThat(StoreEndpoint.of(List.of(new HostPort("h", 1)), "suho_trading-2").database())
                .isEqualTo("suho_trading-2");
    }
}
