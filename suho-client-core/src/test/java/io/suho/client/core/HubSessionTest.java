package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's hub session against a stand-in hub on a real local HTTP server (JDK HttpServer). The hub is our own
 * service, not a database; the real hub jar is exercised by suho-hub-server's integration tests.
 */
class HubSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEASE = "lease-secret-of-i-1";

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicReference<String> catalog = new AtomicReference<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startHub() throws IOException {
        catalog.set(new EndpointCatalog(3, Map.of(Store.POSTGRES,
                StoreEndpoint.of(List.of(new HostPort("pg.internal", 5432)), "suho_trading"))).toJson());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopHub() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String lease = ex.getRequestHeaders().getFirst("X-Suho-Lease-Secret");
        String line = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
        requests.add(line + (auth == null ? "" : " auth") + (LEASE.equals(lease) ? " lease" : ""));
        byte[] body = ex.getRequestBody().readAllBytes();
        if (line.equals("GET /v1/endpoints")) {
            reply(ex, 200, catalog.get());
        } else if (line.equals("POST /v1/instances")) {
            reply(ex, "Bearer t0ken-for-tests".equals(auth) ? 201 : 401,
                    "{\"instanceId\":\"i-1\",\"leaseSecret\":\"" + LEASE
                            + "\",\"leaseExpiresAt\":\"2030-01-01T00:00:00Z\"}");
        } else if (line.equals("PUT /v1/instances/i-1/heartbeat")) {
            if (!LEASE.equals(lease)) {
                reply(ex, 403, "{\"error\":\"forbidden\"}");
                return;
            }
            heartbeats.add(JSON.readTree(body));
            reply(ex, 200, "{}");
        } else if (line.equals("DELETE /v1/instances/i-1")) {
            ex.sendResponseHeaders(LEASE.equals(lease) ? 204 : 403, -1);
            ex.close();
        } else {
            reply(ex, 404, "{\"error\":\"not_found\"}");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private URI hubUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private SuhoClients.Builder builder() {
        return SuhoClients.builder().serviceName("order-service").environment(Map.of())
                .systemProperties(new Properties()).meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .module(new TestModule(Store.POSTGRES, TestModule.Greeter.class, Duration.ZERO));
    }

    @Test
    void takesEndpointsFromHubAndWritesOwnerOnlyFileWithoutSecrets() throws Exception {
        try (SuhoClients suho = builder().hub(hubUri()).credentials(Store.POSTGRES, "app", "pg-pass-123").build()) {
            assertThat(suho.endpointVersion()).isEqualTo(3);
            assertThat(suho.config().find("suho.postgres.hosts").orElseThrow().source()).isEqualTo(ConfigSource.HUB);
            assertThat(suho.get(TestModule.Greeter.class).configuredHosts()).isEqualTo("[pg.internal:5432]");
        }
        Path file = dir.resolve("endpoints.json");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        String text = Files.readString(file);
        assertThat(text).contains("pg.internal").doesNotContain("pg-pass-123");
        assertThat(requests).contains("GET /v1/endpoints").noneMatch(r -> r.startsWith("POST"));
    }

    @Test
    void builderEndpointOverridesTheHub() {
        try (SuhoClients suho = builder().hub(hubUri()).endpoint(Store.POSTGRES, "local:1").build()) {
            assertThat(suho.get(TestModule.Greeter.class).configuredHosts()).isEqualTo("[local:1]");
        }
    }

    @Test
    void fallsBackToLastKnownGoodFileWhenHubIsDown() {
        try (SuhoClients first = builder().hub(hubUri()).build()) {
            assertThat(first.endpointVersion()).isEqualTo(3);
        }
        URI down = hubUri();
        server.stop(0);
        try (SuhoClients suho = builder().hub(down).hubTimeout(Duration.ofMillis(500)).build()) {
            assertThat(suho.endpointVersion()).isEqualTo(3);
            assertThat(suho.config().find("suho.postgres.hosts").orElseThrow().source())
                    .isEqualTo(ConfigSource.ENDPOINT_CACHE);
            assertThat(suho.get(TestModule.Greeter.class).greet("x")).isEqualTo("hello x");
        }
    }

    @Test
    void hubDownAndNoFileFailsNamingWhatIsMissing() {
        URI down = hubUri();
        server.stop(0);
        assertThatThrownBy(() -> builder().hub(down).hubTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unreachable").hasMessageContaining("suho.postgres.hosts")
                .hasMessageContaining("POSTGRES_HOST").hasMessageContaining("endpoints.json");
    }

    @Test
    void hubDownButEverythingConfiguredLocallyStarts() {
        URI down = hubUri();
        server.stop(0);
        try (SuhoClients suho = builder().hub(down).hubTimeout(Duration.ofMillis(500))
                .endpoint(Store.POSTGRES, "db:5432").build()) {
            assertThat(suho.get(TestModule.Greeter.class).greet("y")).isEqualTo("hello y");
        }
    }

    @Test
    void registersHeartbeatsBreakerStatesAndDeregistersOnClose() throws Exception {
        SuhoClients suho = builder().hub(hubUri()).hubToken("t0ken-for-tests")
                .set("suho.hub.allow-insecure", "true").set("suho.hub.heartbeat-interval", "50ms").build();
        assertThat(suho.instanceId()).isEqualTo("i-1");
        suho.get(TestModule.Greeter.class).greet("a");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (heartbeats.stream().noneMatch(h -> h.path("stores").has("postgres")) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        JsonNode hb = heartbeats.stream().filter(h -> h.path("stores").has("postgres")).findFirst().orElseThrow();
        assertThat(hb.path("stores").path("postgres").path("breaker").asText()).isEqualTo("CLOSED");
        suho.close();
        assertThat(requests).contains("POST /v1/instances auth", "PUT /v1/instances/i-1/heartbeat lease",
                "DELETE /v1/instances/i-1 lease");
        assertThat(Set.copyOf(requests)).allMatch(r -> !r.contains("t0ken"));
    }

    @Test
    void refusesAPlainHttpHubWhenATokenIsSet() {
        assertThatThrownBy(() -> builder().hub(hubUri()).hubToken("t0ken-for-tests").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.hub.allow-insecure")
                .hasMessageContaining("http://").hasMessageContaining("https://")
                .hasMessageNotContaining("t0ken-for-tests");
        assertThat(requests).isEmpty();
    }

    @Test
    void refusesACatalogThatTurnsOffPeerVerification() {
        catalog.set("{\"version\":4,\"stores\":{\"postgres\":{\"hosts\":[\"evil:5432\"],\"tls\":false,"
                + "\"properties\":{\"tls.verify-peer\":\"false\"}}}}");
        assertThatThrownBy(() -> builder().hub(hubUri()).build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("invalid endpoint catalog").hasMessageContaining("tls.verify-peer");
        assertThat(dir.resolve("endpoints.json")).doesNotExist();
    }

    @Test
    void refusesACatalogWhoseDatabaseNameCarriesJdbcParameters() {
        catalog.set("{\"version\":4,\"stores\":{\"postgres\":{\"hosts\":[\"pg:5432\"],"
                + "\"database\":\"x?sslmode=disable&a=\"}}}");
        try (SuhoClients suho = builder().hub(hubUri()).endpoint(Store.POSTGRES, "db:5432").build()) {
            assertThat(suho.config().get(StoreKeys.databaseKey(Store.POSTGRES))).isEqualTo("suho_trading");
            assertThat(suho.endpointVersion()).isNotEqualTo(4);
        }
    }

    @Test
    void invalidHubUrlIsAConfigurationError() {
        assertThatThrownBy(() -> builder().set("suho.hub.url", "hub:7000").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.hub.url")
                .hasMessageContaining("http(s) URL");
    }
}
