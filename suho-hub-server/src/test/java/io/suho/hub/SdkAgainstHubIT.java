package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.SuhoClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core's hub client ({@link SuhoClients} with {@code hub(URI)} and a token) against the real hub. */
class SdkAgainstHubIT {

    @TempDir
    Path dir;

    private SuhoClients.Builder sdk(TestHub hub, String service, Path cacheFile) {
        // a plain-http test hub on loopback: the SDK refuses it with a token unless told (HubTlsIT covers https)
        return SuhoClients.builder().serviceName(service).hub(hub.base).hubToken(TestHub.TOKEN)
                .set("suho.hub.allow-insecure", "true")
                .endpointCacheFile(cacheFile).environment(Map.of())
                .set("suho.hub.heartbeat-interval", "200ms").set("suho.hub.lease-ttl", "5s");
    }

    @Test
    void sdkFetchesEndpointsRegistersHeartbeatsAndDeregisters() throws Exception {
        Path cache = dir.resolve("endpoints.json");
        try (TestHub hub = TestHub.start()) {
            String id;
            try (SuhoClients suho = sdk(hub, "order-service", cache).build()) {
                assertThat(suho.endpointVersion()).isEqualTo(hub.server.endpointsVersion());
                assertThat(suho.config().get("suho.postgres.hosts")).hasValue(TestHub.env().get("POSTGRES_HOST")
                        + ":" + TestHub.env().get("POSTGRES_PORT"));
                assertThat(suho.config().get("suho.postgres.database")).hasValue("suho_trading");
                id = suho.instanceId();
                assertThat(id).isNotNull();

                JsonNode inst = TestHub.json(hub.get("/v1/instances/" + id));
                assertThat(inst.get("service").asText()).isEqualTo("order-service");
                assertThat(inst.get("lease").get("ttlSeconds").asInt()).isEqualTo(5);
                Instant registered = Instant.parse(inst.get("registeredAt").asText());
                await().atMost(Duration.ofSeconds(10)).until(() -> Instant.parse(TestHub.json(
                        hub.get("/v1/instances/" + id)).get("lastHeartbeat").asText()).isAfter(registered));
                assertThat(EndpointCatalog.fromJson(Files.readString(cache)).version())
                        .isEqualTo(hub.server.endpointsVersion());
            }
            assertThat(hub.get("/v1/instances/" + id).statusCode()).as("deregistered on close").isEqualTo(404);
        }
    }

    @Test
    void sdkRegistersAgainAfterItsLeaseWasLost() throws Exception {
        try (TestHub hub = TestHub.start(); SuhoClients suho = sdk(hub, "flaky-service", dir.resolve("e.json"))
                .set("suho.hub.heartbeat-interval", "300ms").build()) {
            String first = suho.instanceId();
            // the hub forgets the instance (as after a hub restart); the next heartbeat gets 404
            hub.server.forget(first);
            await().atMost(Duration.ofSeconds(10)).until(() -> suho.instanceId() != null
                    && !suho.instanceId().equals(first));
            assertThat(hub.get("/v1/instances/" + suho.instanceId()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void sdkWatchPicksUpChangedEndpoints() throws Exception {
        try (TestHub hub = TestHub.start(); SuhoClients suho = sdk(hub, "watcher", dir.resolve("w.json"))
                .set("suho.hub.watch", "true").build()) {
            long v = suho.endpointVersion();
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.get("/metrics").body()
                    .contains("suho_hub_longpoll_waiting 1"));
            Map<String, String> env = TestHub.env();
            env.put("POSTGRES_DB", "suho_trading_v2");
            hub.server.reconfigure(HubConfig.from(env));
            await().atMost(Duration.ofSeconds(10)).until(() -> suho.endpointVersion() != v); // content-derived version
            assertThat(suho.config().get("suho.postgres.database")).hasValue("suho_trading_v2");
        }
    }

    @Test
    void sdkFallsBackToTheLastKnownGoodFileWhenTheHubIsStopped() throws Exception {
        Path cache = dir.resolve("lkg.json");
        long version;
        String hosts;
        TestHub hub = TestHub.start();
        try (SuhoClients first = sdk(hub, "payments", cache).build()) {
            version = first.endpointVersion();
            hosts = first.config().get("suho.kafka.hosts").orElseThrow();
        } finally {
            hub.close();
        }
        assertThat(Files.exists(cache)).isTrue();

        try (SuhoClients second = sdk(hub, "payments", cache).hubTimeout(Duration.ofMillis(500)).build()) {
            assertThat(second.endpointVersion()).isEqualTo(version);
            assertThat(second.config().get("suho.kafka.hosts")).hasValue(hosts);
            assertThat(second.config().get("suho.postgres.database")).hasValue("suho_trading");
            assertThat(second.instanceId()).as("no hub to register with").isNull();
        }
    }
}
