package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.client.postgres.PostgresClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two hubs as ops run them (the shaded jar, one process each, ports 7191 and 7192) sharing one registry in a NATS
 * JetStream KV bucket on the local stack's NATS ({@code SUHO_HUB_REGISTRY=nats}, a bucket of its own per run,
 * deleted afterwards): a registration on one hub is listed on the other within a second, a lease from one is
 * renewed on the other, two hubs expire a lease exactly once, and after a SIGKILL of one hub every registration is
 * still listed on the other while the SDK ({@code suho.hub.urls}) moves to it without a failed data call. The
 * in-memory registry is covered by every other hub IT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedRegistryIT {
    private static final String BUCKET = "suho_registry_it_" + UUID.randomUUID().toString().substring(0, 8);
    private static final Pattern EXPIRED = Pattern.compile("(?m)^suho_hub_leases_expired_total(?:\\{[^}]*})? (\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    private static Path dir;
    private static String natsUrl;
    private static Hub a;
    private static Hub b;

    /** One hub process and its log. */
    record Hub(Process process, URI base, Path log) {
        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> send(String method, String path, String body, String header, String value)
                throws IOException, InterruptedException {
            HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (header != null) {
                r.header(header, value);
            }
            return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Registers an instance; returns {id, lease secret}. */
        String[] register(String service, int ttlSeconds) throws IOException, InterruptedException {
            HttpResponse<String> r = send("POST", "/v1/instances", "{\"service\":\"" + service
                    + "\",\"host\":\"10.0.0.7\",\"port\":8080,\"ttlSeconds\":" + ttlSeconds + "}", "Authorization",
                    "Bearer " + TestHub.TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode n = TestHub.JSON.readTree(r.body());
            return new String[] {n.get("instanceId").asText(), n.get("leaseSecret").asText()};
        }

        List<String> ids(String service) throws IOException, InterruptedException {
            HttpResponse<String> r = get("/v1/services/" + service);
            List<String> out = new ArrayList<>();
            if (r.statusCode() == 200) {
                TestHub.JSON.readTree(r.body()).path("instances").forEach(i -> out.add(i.get("instanceId").asText()));
            }
            return out;
        }

        double expiredCount() throws IOException, InterruptedException {
            Matcher m = EXPIRED.matcher(get("/metrics").body());
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        }
    }

    private static Path jar() {
        File[] jars = new File("target").listFiles((d, n) -> n.startsWith("suho-hub-server") && n.endsWith(".jar")
                && !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar"));
        if (jars == null || jars.length != 1) {
            System.err.println("SKIPPED SharedRegistryIT: expected exactly one target/suho-hub-server*.jar"
                    + " (run mvn verify)");
            Assumptions.abort("no runnable jar in target/");
        }
        return jars[0].toPath();
    }

    private static Hub start(String name, int port) throws IOException {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_PORT", Integer.toString(port));
        env.put("SUHO_HUB_REGISTRY", "nats");
        env.put("SUHO_HUB_REGISTRY_BUCKET", BUCKET);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar().toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SUHO_HUB_") || k.startsWith("POSTGRES_")
                || k.startsWith("DRAGONFLY_") || k.startsWith("CLICKHOUSE_") || k.startsWith("NATS_"));
        pb.environment().putAll(env);
        return new Hub(pb.start(), URI.create("http://127.0.0.1:" + port), log);
    }

    private static void awaitListening(Hub hub) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !hub.process().isAlive()
                || Files.readString(hub.log()).contains("suho hub listening on " + hub.base()));
        assertThat(hub.process().isAlive()).as("hub %s: %s", hub.base(), read(hub.log())).isTrue();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @BeforeAll
    static void startTwoHubs() throws Exception {
        natsUrl = TestHub.env().get("NATS_URL");
        if (natsUrl == null) {
            System.err.println("SKIPPED SharedRegistryIT: no NATS server (the local stack's NATS on 4222)");
            Assumptions.abort("no NATS");
        }
        dir = Files.createTempDirectory("shared-registry-it");
        a = start("a", 7191);
        b = start("b", 7192);
        awaitListening(a);
        awaitListening(b);
        // warm both JVMs and their connections (a cold hub's first requests are class loading, not fan-out)
        for (int i = 0; i < 3; i++) {
            for (Hub from : new Hub[] {a, b}) {
                Hub to = from == a ? b : a;
                String[] warm = from.register("warm-up", 30);
                await().atMost(Duration.ofSeconds(30)).until(() -> to.ids("warm-up").contains(warm[0]));
                assertThat(to.send("DELETE", "/v1/instances/" + warm[0], null, "X-Suho-Lease-Secret", warm[1])
                        .statusCode()).isEqualTo(204);
            }
        }
    }

    @AfterAll
    static void stopHubsAndDeleteTheBucket() throws Exception {
        for (Hub h : new Hub[] {a, b}) {
            if (h != null) {
                h.process().destroy();
                h.process().waitFor(20, TimeUnit.SECONDS);
            }
        }
        if (natsUrl != null) {
            try (Connection nc = Nats.connect(natsUrl)) {
                nc.keyValueManagement().delete(BUCKET);
            } catch (JetStreamApiException e) {
                System.err.println("bucket " + BUCKET + " not deleted: " + e.getMessage());
            }
        }
    }

    @Test
    @Order(1)
    void aRegistrationOnOneHubIsListedOnTheOtherWithinASecondAndItsLeaseWorksOnBoth() throws Exception {
        String service = "fanout-" + UUID.randomUUID().toString().substring(0, 6);
        long t0 = System.nanoTime();
        String[] lease = a.register(service, 30);
        long registered = System.nanoTime(); // hub a answers once the bucket took the write
        long deadline = registered + TimeUnit.SECONDS.toNanos(1);
        boolean listed;
        while (!(listed = b.ids(service).contains(lease[0])) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - registered);
        assertThat(listed).as("listed on hub b within 1 s of the registration on hub a (%d ms)", ms).isTrue();
        System.out.println("SharedRegistryIT: registration on a took " + TimeUnit.NANOSECONDS.toMillis(registered
                - t0) + " ms, listed on b " + ms + " ms after it");

        // the catalog of hubs configured alike has one version
        long va = TestHub.JSON.readTree(a.get("/v1/endpoints").body()).get("version").asLong();
        long vb = TestHub.JSON.readTree(b.get("/v1/endpoints").body()).get("version").asLong();
        assertThat(va).isEqualTo(vb);

        // a lease hub a issued is renewed on hub b (with its secret), a wrong secret is refused there
        assertThat(b.send("PUT", "/v1/instances/" + lease[0] + "/heartbeat",
                "{\"stores\":{\"postgres\":{\"breaker\":\"OPEN\",\"calls\":3,\"errorRate\":1.0}}}",
                "X-Suho-Lease-Secret", lease[1]).statusCode()).isEqualTo(200);
        assertThat(b.send("PUT", "/v1/instances/" + lease[0] + "/heartbeat", "{}", "X-Suho-Lease-Secret",
                "not-the-secret").statusCode()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(TestHub.JSON.readTree(
                a.get("/v1/instances/" + lease[0]).body()).path("stores").path("postgres").path("breaker").asText())
                .isEqualTo("OPEN"));

        // the bucket holds the secret's digest, never the secret
        try (Connection nc = Nats.connect(natsUrl)) {
            String stored = new String(nc.keyValue(BUCKET).get(lease[0]).getValue(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(stored).contains("secretSha256").doesNotContain(lease[1]);
        }

        // deregistered on b: gone from a too, and both registries report one version
        assertThat(b.send("DELETE", "/v1/instances/" + lease[0], null, "X-Suho-Lease-Secret", lease[1])
                .statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(1)).until(() -> a.ids(service).isEmpty());
        await().atMost(Duration.ofSeconds(1)).until(() -> TestHub.JSON.readTree(a.get("/v1/instances").body())
                .get("version").asLong() == TestHub.JSON.readTree(b.get("/v1/instances").body()).get("version")
                .asLong());
    }

    @Test
    @Order(2)
    void twoHubsExpireALeaseExactlyOnceAndNeverResurrectIt() throws Exception {
        double before = a.expiredCount() + b.expiredCount();
        String service = "expiry-" + UUID.randomUUID().toString().substring(0, 6);
        String[] lease = a.register(service, 1);
        await().atMost(Duration.ofSeconds(1)).until(() -> b.ids(service).contains(lease[0]));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.ids(service).isEmpty() && b.ids(service).isEmpty());
        // both reapers run every 100 ms: the count must reach one and stay there while the loser tries (and fails)
        // its delete
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(a.expiredCount() + b.expiredCount() - before)
                        .as("expiry events across both hubs").isEqualTo(1.0));
        assertThat(read(a.log()) + read(b.log())).containsOnlyOnce("instance " + lease[0] + " (10.0.0.7:8080) expired");
        for (Hub h : new Hub[] {a, b}) {
            assertThat(h.send("PUT", "/v1/instances/" + lease[0] + "/heartbeat", "{}", "X-Suho-Lease-Secret",
                    lease[1]).statusCode()).as("a heartbeat after expiry").isEqualTo(404);
        }
    }

    @Test
    @Order(3)
    void afterASigkillOfOneHubTheOtherListsEveryRegistrationAndTheSdkMovesToIt() throws Exception {
        String service = "survivor-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(a.register(service, 30)[0]);
        }
        var pg = TestHub.server(io.suho.test.StoreKind.POSTGRES);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        try (SuhoClients suho = SuhoClients.builder().serviceName("sdk-" + service)
                .hubs(List.of(a.base(), b.base())).hubToken(TestHub.TOKEN).set("suho.hub.allow-insecure", "true")
                .set("suho.hub.heartbeat-interval", "200ms").set("suho.hub.lease-ttl", "2s")
                .credentials(Store.POSTGRES, pg.user(), pg.password())
                .endpointCacheFile(dir.resolve("sdk-endpoints.json")).environment(Map.of()).build()) {
            String sdkId = suho.instanceId();
            assertThat(sdkId).isNotNull();
            await().atMost(Duration.ofSeconds(1)).until(() -> b.ids("sdk-" + service).contains(sdkId));
            PostgresClient db = suho.get(PostgresClient.class);
            Thread load = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        db.queryOne("SELECT 1", rs -> rs.getInt(1));
                        calls.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            load.start();
            Thread.sleep(300);

            a.process().destroyForcibly(); // SIGKILL
            assertThat(a.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            Instant killed = Instant.now();

            assertThat(b.ids(service)).containsExactlyInAnyOrderElementsOf(ids);
            // longer than the SDK's 2 s lease: only heartbeats through hub b can have kept it
            Thread.sleep(3000);
            JsonNode sdk = TestHub.JSON.readTree(b.get("/v1/instances/" + sdkId).body());
            assertThat(Instant.parse(sdk.get("lastHeartbeat").asText())).isAfter(killed);
            assertThat(suho.instanceId()).as("the same lease, renewed on hub b").isEqualTo(sdkId);
            stop.set(true);
            load.join(5000);
        }
        assertThat(calls.get()).isGreaterThan(50);
        assertThat(failures.get()).as("data calls that failed while the hub was killed").isZero();
        assertThat(b.ids(service)).containsExactlyInAnyOrderElementsOf(ids);
    }
}
