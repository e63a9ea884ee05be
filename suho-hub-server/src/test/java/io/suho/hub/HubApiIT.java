package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Store;
import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hub's REST contract over real HTTP, with the hub probing the real local stores. */
class HubApiIT {
    private static TestHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void endpointsAreCoresCatalogShapeWithoutCredentials() throws Exception {
        HttpResponse<String> r = hub.get("/v1/endpoints");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        EndpointCatalog catalog = EndpointCatalog.fromJson(r.body());
        assertThat(catalog.version()).isEqualTo(hub.server.endpointsVersion());
        assertThat(catalog.stores()).containsKeys(Store.POSTGRES, Store.CACHE, Store.ANALYTICS, Store.NATS,
                Store.KAFKA).doesNotContainKeys(Store.VECTOR, Store.GRAPH);
        assertThat(catalog.stores().get(Store.POSTGRES).database()).isEqualTo("suho_trading");
        assertThat(catalog.stores().get(Store.ANALYTICS).database()).isEqualTo("suho_analytics");
        assertThat(r.body()).doesNotContainIgnoringCase("password").doesNotContain("suho-local")
                .doesNotContainIgnoringCase("\"user\"");
    }

    @Test
    void registerHeartbeatAndDeregisterFollowTheContract() throws Exception {
        HttpResponse<String> reg = hub.send("POST", "/v1/instances", "{\"service\":\"order-service\","
                + "\"host\":\"10.1.2.3\",\"port\":8080,\"ttlSeconds\":30,\"meta\":{\"version\":\"1.4.2\"}}",
                TestHub.TOKEN);
        assertThat(reg.statusCode()).isEqualTo(201);
        JsonNode body = TestHub.json(reg);
        String id = body.get("instanceId").asText();
        assertThat(Instant.parse(body.get("leaseExpiresAt").asText())).isAfter(Instant.now().plusSeconds(20));

        JsonNode services = TestHub.json(hub.get("/v1/services"));
        assertThat(services.get("services").findValuesAsText("name")).contains("order-service");
        JsonNode svc = TestHub.json(hub.get("/v1/services/order-service"));
        JsonNode inst = svc.get("instances").get(0);
        assertThat(inst.get("instanceId").asText()).isEqualTo(id);
        assertThat(inst.get("host").asText()).isEqualTo("10.1.2.3");
        assertThat(inst.get("meta").get("version").asText()).isEqualTo("1.4.2");
        assertThat(inst.get("lease").get("state").asText()).isEqualTo("ACTIVE");

        HttpResponse<String> hb = hub.send("PUT", "/v1/instances/" + id + "/heartbeat", "{\"stores\":{"
                + "\"cache\":{\"breaker\":\"OPEN\",\"calls\":12,\"errorRate\":0.5},"
                + "\"postgres\":{\"breaker\":\"CLOSED\",\"calls\":40,\"errorRate\":0.0}}}", TestHub.TOKEN);
        assertThat(hb.statusCode()).isEqualTo(200);
        assertThat(TestHub.json(hb).get("instanceId").asText()).isEqualTo(id);

        JsonNode cacheClients = TestHub.json(hub.get("/v1/health")).get("stores").get("cache").get("clients");
        assertThat(cacheClients.get("breakerOpen").asInt()).isEqualTo(1);
        assertThat(cacheClients.get("reporting").asInt()).isEqualTo(1);
        assertThat(cacheClients.get("errorRate").asDouble()).isEqualTo(0.5);
        assertThat(hub.get("/metrics").body()).contains("suho_hub_client_breaker_open{store=\"cache\"} 1");

        assertThat(hub.send("DELETE", "/v1/instances/" + id, null, TestHub.TOKEN).statusCode()).isEqualTo(204);
        assertThat(hub.send("DELETE", "/v1/instances/" + id, null, TestHub.TOKEN).statusCode()).isEqualTo(404);
        HttpResponse<String> gone = hub.send("PUT", "/v1/instances/" + id + "/heartbeat", "{}", TestHub.TOKEN);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(TestHub.json(gone).get("error").asText()).isEqualTo("not_found");
        assertThat(hub.get("/v1/services/order-service").statusCode()).isEqualTo(404);
    }

    @Test
    void writesWithoutAValidTokenAre401() throws Exception {
        String body = "{\"service\":\"a\",\"host\":\"h\",\"port\":1}";
        HttpResponse<String> none = hub.send("POST", "/v1/instances", body, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(TestHub.json(none).get("error").asText()).isEqualTo("unauthorized");
        assertThat(hub.send("POST", "/v1/instances", body, "wrong-token-123").statusCode()).isEqualTo(401);
        assertThat(hub.send("POST", "/v1/instances", body, TestHub.TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(hub.send("DELETE", "/v1/instances/abc", null, null).statusCode()).isEqualTo(404);
        assertThat(hub.send("PUT", "/v1/instances/abc/heartbeat", "{}", "nope-nope").statusCode()).isEqualTo(404);
    }

    @Test
    void duringRotationThePreviousTokenStillRegisters() throws Exception {
        Map<String, String> env = TestHub.env();
        String next = "next-token-5a6b7c8d9e0f1a2b3c4d5e6f7a8b";
        env.put("SUHO_HUB_TOKEN", next);
        env.put("SUHO_HUB_TOKEN_PREVIOUS", TestHub.TOKEN);
        try (TestHub rotating = TestHub.start(env)) {
            String body = "{\"service\":\"rotation\",\"host\":\"h\",\"port\":1}";
            assertThat(rotating.send("POST", "/v1/instances", body, next).statusCode()).isEqualTo(201);
            assertThat(rotating.send("POST", "/v1/instances", body, TestHub.TOKEN).statusCode()).isEqualTo(201);
            assertThat(rotating.send("POST", "/v1/instances", body, "some-other-token-0123456789abcdef")
                    .statusCode()).isEqualTo(401);
        }
    }

    @Test
    void heartbeatAndDeleteNeedTheInstancesOwnLeaseSecret() throws Exception {
        String mine = hub.register("lease-owner", 60);
        String other = hub.register("lease-other", 60);
        String hbPath = "/v1/instances/" + mine + "/heartbeat";
        // the shared token alone (what every service holds) renews or deletes nothing
        for (String method : new String[] {"PUT", "DELETE"}) {
            String path = method.equals("PUT") ? hbPath : "/v1/instances/" + mine;
            HttpResponse<String> r = hub.http.send(java.net.http.HttpRequest.newBuilder(hub.base.resolve(path))
                    .method(method, java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Authorization", "Bearer " + TestHub.TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method + " with the shared token only").isEqualTo(403);
            assertThat(TestHub.json(r).get("message").asText()).contains("X-Suho-Lease-Secret");
            // another instance's secret is no better
            HttpResponse<String> wrong = hub.http.send(java.net.http.HttpRequest.newBuilder(hub.base.resolve(path))
                    .method(method, java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .header("X-Suho-Lease-Secret", hub.leases.get(other)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).as(method + " with another instance's secret").isEqualTo(403);
        }
        HttpResponse<String> own = hub.http.send(java.net.http.HttpRequest.newBuilder(hub.base.resolve(hbPath))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")
                .header("X-Suho-Lease-Secret", hub.leases.get(mine)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(200);
        // the secret is returned once, at registration, and never shown by a read
        assertThat(hub.get("/v1/instances/" + mine).body()).doesNotContain(hub.leases.get(mine));
        assertThat(hub.get("/v1/instances").body()).doesNotContain(hub.leases.get(mine))
                .doesNotContain(hub.leases.get(other));
        assertThat(hub.send("DELETE", "/v1/instances/" + mine, null, TestHub.TOKEN).statusCode()).isEqualTo(204);
    }

    @Test
    void aHubWithoutTokenIsReadOnly() throws Exception {
        Map<String, String> env = TestHub.env();
        env.remove("SUHO_HUB_TOKEN");
        try (TestHub readOnly = TestHub.start(env)) {
            HttpResponse<String> r = readOnly.send("POST", "/v1/instances",
                    "{\"service\":\"a\",\"host\":\"h\",\"port\":1}", "anything-at-all");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(TestHub.json(r).get("error").asText()).isEqualTo("read_only");
            assertThat(readOnly.get("/v1/endpoints").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void leaseExpiresWhenHeartbeatsStop() throws Exception {
        String id = hub.register("short-lived", 1);
        assertThat(hub.get("/v1/instances/" + id).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> hub.get("/v1/instances/" + id).statusCode() == 404);

        assertThat(hub.send("PUT", "/v1/instances/" + id + "/heartbeat", "{}", TestHub.TOKEN).statusCode())
                .isEqualTo(404);
        assertThat(hub.get("/v1/services/short-lived").statusCode()).isEqualTo(404);
    }

    @Test
    void aHeartbeatRenewsTheLease() throws Exception {
        HttpResponse<String> reg = hub.send("POST", "/v1/instances",
                "{\"service\":\"kept-alive\",\"host\":\"h1\",\"port\":1,\"ttlSeconds\":60}", TestHub.TOKEN);
        JsonNode r = TestHub.json(reg);
        Instant first = Instant.parse(r.get("leaseExpiresAt").asText());
        String id = r.get("instanceId").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            HttpResponse<String> hb = hub.send("PUT", "/v1/instances/" + id + "/heartbeat", "{}", TestHub.TOKEN);
            return Instant.parse(TestHub.json(hb).get("leaseExpiresAt").asText()).isAfter(first);
        });
        assertThat(TestHub.json(hub.get("/v1/instances/" + id)).get("lease").get("remainingSeconds").asDouble())
                .isGreaterThan(50);
    }

    @Test
    void longPollWakesWhenEndpointsChange() throws Exception {
        long v = hub.server.endpointsVersion();
        CompletableFuture<HttpResponse<String>> poll = hub.http.sendAsync(HttpRequest.newBuilder(
                hub.base.resolve("/v1/endpoints?version=" + v + "&waitSeconds=60")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.get("/metrics").body()
                .contains("suho_hub_longpoll_waiting 1"));
        assertThat(poll).isNotDone();

        Map<String, String> env = new HashMap<>(TestHub.env());
        env.put("POSTGRES_DB", "suho_trading_moved");
        try {
            hub.server.reconfigure(HubConfig.from(env));

            HttpResponse<String> r = poll.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            EndpointCatalog c = EndpointCatalog.fromJson(r.body());
            // content-derived: a new catalog, a new version, the same one every hub configured alike publishes
            assertThat(c.version()).isNotEqualTo(v)
                    .isEqualTo(io.suho.hub.internal.EndpointPublisher.contentVersion(c.stores()));
            assertThat(c.stores().get(Store.POSTGRES).database()).isEqualTo("suho_trading_moved");
        } finally {
            hub.server.reconfigure(HubConfig.from(TestHub.env()));
        }
    }

    @Test
    void longPollWithoutChangeEndsWith304() throws Exception {
        long v = hub.server.endpointsVersion();
        HttpResponse<String> r = hub.get("/v1/endpoints?version=" + v + "&waitSeconds=1");
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(hub.get("/v1/endpoints?version=" + (v - 1) + "&waitSeconds=30").statusCode()).isEqualTo(200);
    }

    @Test
    void healthListsAllSevenStoresWithClientView() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/v1/health/ready").statusCode() == 200);
        // each store's status is the one its situation calls for: a running local store is UP, one the tests could
        // not resolve is DOWN (configured nowhere, it never answers), Weaviate and ArangoDB without a URL are UNKNOWN
        Map<String, String> expected = new HashMap<>();
        for (io.suho.test.StoreKind k : new io.suho.test.StoreKind[] {io.suho.test.StoreKind.POSTGRES,
                io.suho.test.StoreKind.REDIS, io.suho.test.StoreKind.NATS, io.suho.test.StoreKind.CLICKHOUSE,
                io.suho.test.StoreKind.KAFKA}) {
            expected.put(k.store().id(), TestHub.server(k) != null ? "UP" : "DOWN");
        }
        expected.put("vector", "UNKNOWN");
        expected.put("graph", "UNKNOWN");
        assertThat(expected).hasSize(Store.values().length);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode stores = TestHub.json(hub.get("/v1/health")).get("stores");
            for (Store s : Store.values()) {
                assertThat(stores.get(s.id()).get("status").asText()).as(s.id()).isEqualTo(expected.get(s.id()));
            }
        });
        HttpResponse<String> r = hub.get("/v1/health");
        JsonNode h = TestHub.json(r);
        assertThat(r.statusCode() == 200).isEqualTo(!h.get("status").asText().equals("DOWN"));
        if (!expected.containsValue("DOWN")) {
            // every configured store answers: the hub is healthy (unconfigured optional stores do not make it DOWN)
            assertThat(r.statusCode()).as(h.toString()).isEqualTo(200);
            assertThat(h.get("status").asText()).isIn("UP", "DEGRADED");
        }
        JsonNode stores = h.get("stores");
        for (Store s : Store.values()) {
            JsonNode n = stores.get(s.id());
            assertThat(n.has("latencyMs") && n.has("lastError") && n.has("since") && n.has("clients")).isTrue();
        }
        assertThat(stores.get("vector").get("lastError").asText()).contains("WEAVIATE_URL");
        assertThat(stores.get("graph").get("lastError").asText()).contains("ARANGO_URL");
        assertThat(hub.get("/v1/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void storeDetailShowsProbeSettingsAndHistory() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestHub.json(hub.get("/v1/stores/postgres"))
                .get("history").size() > 1);
        JsonNode pg = TestHub.json(hub.get("/v1/stores/postgres"));
        assertThat(pg.get("store").asText()).isEqualTo("postgres");
        assertThat(pg.get("probe").get("failuresToDown").asInt()).isEqualTo(2);
        HttpResponse<String> unknown = hub.get("/v1/stores/mysql");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestHub.json(unknown).get("message").asText()).contains("postgres");
    }

    @Test
    void metricsAreAPrometheusExposition() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/v1/health/ready").statusCode() == 200);
        hub.get("/v1/endpoints");
        HttpResponse<String> r = hub.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("suho_hub_probe_duration_seconds_count{outcome=\"success\",store=\"postgres\"}",
                "suho_hub_store_up{store=\"postgres\"}", "suho_hub_instances ", "http_server_requests_seconds_count",
                "jvm_memory_used_bytes", "process_uptime_seconds");
    }

    @Test
    void metricsPassPromtool() throws Exception {
        String promtool = findOnPath("promtool");
        if (promtool == null) {
            System.err.println("SKIPPED metricsPassPromtool: promtool is not installed "
                    + "(apt-get install -y --no-install-recommends prometheus)");
            Assumptions.abort("promtool is not installed");
        }
        hub.register("promtool-check", 30);
        Path scraped = Files.createTempFile("hub-metrics", ".txt");
        Files.writeString(scraped, hub.get("/metrics").body(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectInput(scraped.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(scraped);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("promtool lint output").isBlank();
    }

    @Test
    void statusPageIsPlainHtml() throws Exception {
        hub.register("status-page-service", 30);
        HttpResponse<String> r = hub.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("<h2>Stores</h2>", "postgres", "kafka", "status-page-service")
                .doesNotContain("<script");
    }

    private static String findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
