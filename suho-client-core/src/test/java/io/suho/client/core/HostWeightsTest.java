package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostWeightsTest {

    @Test
    void parsesHostsWithWeightsAndDefaultsTheRestToOne() {
        HostWeights w = HostWeights.parse(" pg-b:5433=2.5 , pg-a=0", 5432);
        assertThat(w.of(new HostPort("pg-a", 5432))).isZero();
        assertThat(w.of(new HostPort("pg-b", 5433))).isEqualTo(2.5);
        assertThat(w.of(new HostPort("pg-c", 5432))).isEqualTo(1.0);
        assertThat(w).hasToString("pg-a:5432=0,pg-b:5433=2.5");
        assertThat(HostWeights.parse(w.toString(), 1)).isEqualTo(w);
        assertThat(HostWeights.parse("  ", 5432)).isEqualTo(HostWeights.NONE);
    }

    @Test
    void refusesNegativeNonNumericAndMalformedEntries() {
        assertThatThrownBy(() -> HostWeights.parse("pg-a:5432=-1", 5432)).hasMessageContaining("from 0 (drain)");
        assertThatThrownBy(() -> HostWeights.parse("pg-a:5432=heavy", 5432)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> HostWeights.parse("pg-a:5432=NaN", 5432)).hasMessageContaining("from 0 (drain)");
        assertThatThrownBy(() -> HostWeights.parse("pg-a:5432=1e9", 5432)).hasMessageContaining("1000");
        assertThatThrownBy(() -> HostWeights.parse("pg-a:5432", 5432)).hasMessageContaining("host:port=weight");
        assertThatThrownBy(() -> HostWeights.parse("pg-a=1,pg-a:5432=2", 5432)).hasMessageContaining("two weights");
        assertThatThrownBy(() -> HostWeights.parse("db/x?ssl=1=1", 5432)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEndpointCarriesValidWeightsAndACatalogWithBadOnesIsRefused() {
        StoreEndpoint ok = new StoreEndpoint(List.of(new HostPort("pg", 5432)), "suho_trading", false,
                Map.of(StoreEndpoint.REPLICA_WEIGHTS, "pg-replica-1:5432=0"));
        EndpointCatalog catalog = new EndpointCatalog(3, Map.of(Store.POSTGRES, ok));
        EndpointCatalog back = EndpointCatalog.fromJson(catalog.toJson());
        assertThat(back).isEqualTo(catalog);
        assertThat(back.toConfig()).containsEntry("suho.postgres.replica.weights", "pg-replica-1:5432=0");

        String bad = catalog.toJson().replace("pg-replica-1:5432=0", "pg-replica-1:5432=-3");
        assertThatThrownBy(() -> EndpointCatalog.fromJson(bad))
                .hasMessageContaining("endpoint for postgres is invalid")
                .hasMessageContaining("'replica.weights' is invalid");
    }
}
