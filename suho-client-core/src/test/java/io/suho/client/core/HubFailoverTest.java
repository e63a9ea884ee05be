package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code suho.hub.urls}: the SDK moves to the next hub when one cannot be reached or fails, stays there, and keeps
 * its lease across hubs that share one registry. Stand-in hubs on real local HTTP servers (JDK HttpServer) share one
 * lease table, as hubs on one NATS KV bucket do; the real hubs are exercised by suho-hub-server's ITs.
 */
class HubFailoverTest {
    private static final String TOKEN = "t0ken-for-tests";

    @TempDir
    Path dir;

    /** instance id → lease secret, shared by every stand-in hub like a shared registry. */
    private final Map<String, String> leases = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<StandIn> hubs = new CopyOnWriteArrayList<>();

    private final class StandIn {
        final HttpServer server;
        final String name;
        final List<String> requests = new CopyOnWriteArrayList<>();
        volatile int endpointsStatus = 200;

        StandIn(String name) throws IOException {
            this.name = name;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
            hubs.add(this);
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private void handle(HttpExchange ex) throws IOException {
            String line = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
            String lease = ex.getRequestHeaders().getFirst("X-Suho-Lease-Secret");
            requests.add(line);
            ex.getRequestBody().readAllBytes();
            if (line.equals("GET /v1/endpoints")) {
                reply(ex, endpointsStatus, endpointsStatus == 200 ? new EndpointCatalog(7, Map.of(Store.POSTGRES,
                        StoreEndpoint.of(List.of(new HostPort("pg-" + name, 5432)), "suho_trading"))).toJson()
                        : "{\"error\":\"unavailable\"}");
            } else if (line.equals("POST /v1/instances")) {
                if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    reply(ex, 401, "{\"error\":\"unauthorized\"}");
                    return;
                }
                String id = "i-" + ids.incrementAndGet();
                leases.put(id, "secret-" + id);
                reply(ex, 201, "{\"instanceId\":\"" + id + "\",\"leaseSecret\":\"secret-" + id + "\"}");
            } else if (line.startsWith("PUT /v1/instances/") && line.endsWith("/heartbeat")) {
                String id = line.substring("PUT /v1/instances/".length(), line.length() - "/heartbeat".length());
                reply(ex, lease != null && lease.equals(leases.get(id)) ? 200 : 404, "{}");
            } else if (line.startsWith("DELETE /v1/instances/")) {
                String id = line.substring("DELETE /v1/instances/".length());
                boolean ok = lease != null && lease.equals(leases.get(id));
                if (ok) {
                    leases.remove(id);
                }
                ex.sendResponseHeaders(ok ? 204 : 404, -1);
                ex.close();
            } else {
                reply(ex, 404, "{\"error\":\"not_found\"}");
            }
        }
    }

    @AfterEach
    void stopHubs() {
        hubs.forEach(h -> h.server.stop(0));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private SuhoClients.Builder builder() {
        return SuhoClients.builder().serviceName("order-service").environment(Map.of())
                .systemProperties(new Properties()).meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(dir.resolve("endpoints.json")).hubTimeout(Duration.ofMillis(500))
                .set("suho.hub.allow-insecure", "true")
                .module(new TestModule(Store.POSTGRES, TestModule.Greeter.class, Duration.ZERO));
    }

    private static URI downHub() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        URI uri = URI.create("http://127.0.0.1:" + s.getAddress().getPort());
        s.stop(0);
        return uri;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void movesToTheNextHubWhenTheFirstIsDownAndStaysThere() throws Exception {
        StandIn b = new StandIn("b");
        try (SuhoClients suho = builder().hubs(List.of(downHub(), b.uri())).hubToken(TOKEN)
                .set("suho.hub.heartbeat-interval", "50ms").build()) {
            assertThat(suho.endpointVersion()).isEqualTo(7);
            assertThat(suho.get(TestModule.Greeter.class).configuredHosts()).isEqualTo("[pg-b:5432]");
            assertThat(suho.instanceId()).isEqualTo("i-1");
            awaitTrue(() -> b.requests.contains("PUT /v1/instances/i-1/heartbeat"));
        }
        assertThat(b.requests).contains("GET /v1/endpoints", "POST /v1/instances", "DELETE /v1/instances/i-1");
    }

    @Test
    void aHubAnswering5xxIsSkippedButA4xxIsNot() throws Exception {
        StandIn a = new StandIn("a");
        StandIn b = new StandIn("b");
        a.endpointsStatus = 503;
        try (SuhoClients suho = builder().hubs(List.of(a.uri(), b.uri())).build()) {
            assertThat(suho.get(TestModule.Greeter.class).configuredHosts()).isEqualTo("[pg-b:5432]");
        }
        a.endpointsStatus = 200;
        a.requests.clear();
        b.requests.clear();
        // a wrong token: hub a refuses the registration (401); asking hub b would get the same answer
        try (SuhoClients suho = builder().hubs(List.of(a.uri(), b.uri())).hubToken("wr0ng-token").build()) {
            assertThat(suho.instanceId()).isNull();
        }
        assertThat(a.requests).contains("POST /v1/instances");
        assertThat(b.requests).doesNotContain("POST /v1/instances");
    }

    @Test
    void aLeaseFromHubAIsHeartbeatedOnHubBWhenAGoesAway() throws Exception {
        StandIn a = new StandIn("a");
        StandIn b = new StandIn("b");
        try (SuhoClients suho = builder().hubs(List.of(a.uri(), b.uri())).hubToken(TOKEN)
                .set("suho.hub.heartbeat-interval", "50ms").build()) {
            assertThat(suho.instanceId()).isEqualTo("i-1");
            awaitTrue(() -> a.requests.contains("PUT /v1/instances/i-1/heartbeat"));
            a.server.stop(0);
            awaitTrue(() -> b.requests.contains("PUT /v1/instances/i-1/heartbeat"));
            assertThat(suho.instanceId()).isEqualTo("i-1");
            assertThat(b.requests).doesNotContain("POST /v1/instances");
        }
        assertThat(leases).isEmpty();
    }

    @Test
    void hubUrlsWinsOverHubUrl() throws Exception {
        StandIn a = new StandIn("a");
        StandIn b = new StandIn("b");
        try (SuhoClients suho = builder().hub(a.uri()).hubs(List.of(b.uri())).build()) {
            assertThat(suho.get(TestModule.Greeter.class).configuredHosts()).isEqualTo("[pg-b:5432]");
        }
        assertThat(a.requests).isEmpty();
    }

    @Test
    void grpcTransportWithoutItsModuleNamesTheArtifact() throws Exception {
        StandIn a = new StandIn("a");
        assertThatThrownBy(() -> builder().hub(a.uri()).set("suho.hub.transport", "grpc").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.hub.transport")
                .hasMessageContaining("io.suho:suho-hub-grpc");
        assertThat(a.requests).isEmpty();
    }

    @Test
    void aListedTwiceOrMalformedHubUrlIsAConfigurationError() {
        assertThatThrownBy(() -> builder().set("suho.hub.urls", "http://h:7000,http://h:7000").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.hub.urls")
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> builder().set("suho.hub.urls", "http://h:7000,h2:7000").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.hub.urls")
                .hasMessageContaining("http(s) URL");
    }
}
