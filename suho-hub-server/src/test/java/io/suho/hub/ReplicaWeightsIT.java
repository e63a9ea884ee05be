package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Store;
import io.suho.client.core.StoreEndpoint;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POSTGRES_REPLICA_WEIGHTS}: checked at start (naming the variable), published as the postgres endpoint's
 * {@code replica.weights} property, and a changed value publishes a new catalog version (how ops drain a replica).
 */
class ReplicaWeightsIT {

    @Test
    void badWeightsStopTheHubNamingTheVariable() {
        Map<String, String> env = new HashMap<>(TestHub.env());
        env.put("POSTGRES_REPLICA_WEIGHTS", "pg-replica-1:5432=-1");
        assertThatThrownBy(() -> HubConfig.from(env)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("POSTGRES_REPLICA_WEIGHTS").hasMessageContaining("from 0 (drain)");
        env.put("POSTGRES_REPLICA_WEIGHTS", "pg-replica-1:5432");
        assertThatThrownBy(() -> HubConfig.from(env)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("POSTGRES_REPLICA_WEIGHTS").hasMessageContaining("host:port=weight");
    }

    @Test
    void weightsTravelInTheCatalogAndAChangePublishesANewVersion() throws Exception {
        Map<String, String> env = new HashMap<>(TestHub.env());
        env.put("POSTGRES_REPLICA_WEIGHTS", "pg-replica-2=2, pg-replica-1:5432=1");
        try (TestHub hub = TestHub.start(env)) {
            HttpResponse<String> r = hub.get("/v1/endpoints");
            assertThat(r.statusCode()).isEqualTo(200);
            EndpointCatalog first = EndpointCatalog.fromJson(r.body());
            StoreEndpoint pg = first.stores().get(Store.POSTGRES);
            assertThat(pg.properties()).containsEntry(StoreEndpoint.REPLICA_WEIGHTS,
                    "pg-replica-1:5432=1,pg-replica-2:5432=2");
            assertThat(first.stores().get(Store.CACHE).properties()).doesNotContainKey(StoreEndpoint.REPLICA_WEIGHTS);

            env.put("POSTGRES_REPLICA_WEIGHTS", "pg-replica-1:5432=0,pg-replica-2:5432=2"); // drain replica 1
            hub.server.reconfigure(HubConfig.from(env));
            EndpointCatalog drained = EndpointCatalog.fromJson(hub.get("/v1/endpoints").body());
            assertThat(drained.version()).isNotEqualTo(first.version());
            assertThat(drained.toConfig()).containsEntry("suho.postgres.replica.weights",
                    "pg-replica-1:5432=0,pg-replica-2:5432=2");

            env.remove("POSTGRES_REPLICA_WEIGHTS");
            hub.server.reconfigure(HubConfig.from(env));
            assertThat(EndpointCatalog.fromJson(hub.get("/v1/endpoints").body()).stores().get(Store.POSTGRES)
                    .properties()).doesNotContainKey(StoreEndpoint.REPLICA_WEIGHTS);
        }
    }
}
