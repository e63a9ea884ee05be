package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hub's native probes against the real local stores, including one taken away and brought back. */
@ExtendWith(RealStoreExtension.class)
class ProbeIT {

    private static JsonNode store(TestHub hub, String id) throws Exception {
        return TestHub.json(hub.get("/v1/stores/" + id));
    }

    private static void awaitStatus(TestHub hub, String id, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> store(hub, id).get("status").asText().equals(status));
    }

    @Test
    void postgresProbeRunsSelectOne(@RealStore(StoreKind.POSTGRES) StoreServer pg) throws Exception {
        try (TestHub hub = TestHub.start()) {
            awaitStatus(hub, "postgres", "UP", Duration.ofSeconds(20));
            assertThat(store(hub, "postgres").get("detail").get("serverVersion").asText()).isNotBlank();
        }
    }

    @Test
    void redisProbeAuthenticatesAndPings(@RealStore(StoreKind.REDIS) StoreServer redis) throws Exception {
        try (TestHub hub = TestHub.start()) {
            awaitStatus(hub, "cache", "UP", Duration.ofSeconds(20));
            assertThat(store(hub, "cache").get("detail").get("host").asText()).isEqualTo(redis.hostPort());
        }
    }

    @Test
    void redisProbeWithAWrongPasswordIsDown(@RealStore(StoreKind.REDIS) StoreServer redis) throws Exception {
        Assumptions.assumeTrue(redis.password() != null, "the Redis server has no password");
        Map<String, String> env = TestHub.env();
        env.put("DRAGONFLY_PASSWORD", "definitely-not-the-password");
        try (TestHub hub = TestHub.start(env)) {
            awaitStatus(hub, "cache", "DOWN", Duration.ofSeconds(20));
            assertThat(store(hub, "cache").get("lastError").asText()).contains("AUTH refused")
                    .doesNotContain("definitely-not-the-password");
        }
    }

    @Test
    void clickhouseNatsAndKafkaProbesSeeTheirServers(@RealStore(StoreKind.CLICKHOUSE) StoreServer ch,
            @RealStore(StoreKind.NATS) StoreServer nats, @RealStore(StoreKind.KAFKA) StoreServer kafka)
            throws Exception {
        try (TestHub hub = TestHub.start()) {
            awaitStatus(hub, "analytics", "UP", Duration.ofSeconds(20));
            awaitStatus(hub, "nats", "UP", Duration.ofSeconds(20));
            awaitStatus(hub, "kafka", "UP", Duration.ofSeconds(30));
            assertThat(store(hub, "nats").get("detail").get("jetstream").asBoolean()).isTrue();
            assertThat(store(hub, "kafka").get("detail").get("brokers").asInt()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void unconfiguredStoresAreUnknownNotDown() throws Exception {
        try (TestHub hub = TestHub.start()) {
            JsonNode vector = store(hub, "vector");
            assertThat(vector.get("status").asText()).isEqualTo("UNKNOWN");
            assertThat(vector.get("configured").asBoolean()).isFalse();
            assertThat(vector.get("lastError").asText()).isEqualTo("not configured: set WEAVIATE_URL");
            assertThat(TestHub.json(hub.get("/v1/health")).get("required").toString()).doesNotContain("vector");
        }
    }

    /**
     * A server that accepts connections and never answers (the hung-store case): its probe times out and goes
     * DOWN, while the other stores keep being probed on time.
     */
    @Test
    void aHangingStoreGoesDownWithoutDelayingTheOthers(@RealStore(StoreKind.POSTGRES) StoreServer pg)
            throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> env = TestHub.env();
            env.put("ARANGO_URL", "http://127.0.0.1:" + silent.getLocalPort());
            env.put("SUHO_HUB_PROBE_GRAPH_TIMEOUT", "500ms");
            try (TestHub hub = TestHub.start(env)) {
                awaitStatus(hub, "graph", "DOWN", Duration.ofSeconds(20));
                assertThat(store(hub, "graph").get("lastError").asText()).containsIgnoringCase("timed out");
                Instant before = Instant.parse(store(hub, "postgres").get("lastCheck").asText());
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        Instant.parse(store(hub, "postgres").get("lastCheck").asText()).isAfter(before));
                assertThat(store(hub, "postgres").get("status").asText()).isIn("UP", "DEGRADED");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aStoppedStoreGoesDownAfterTheThresholdAndUpAfterRestart(@RealStore(StoreKind.REDIS) StoreServer redis)
            throws Exception {
        redis.requireLocal("aStoppedStoreGoesDown", "stop Redis");
        try (TestHub hub = TestHub.start()) {
            awaitStatus(hub, "cache", "UP", Duration.ofSeconds(20));
            try {
                LocalStack.down(StoreKind.REDIS);
                awaitStatus(hub, "cache", "DOWN", Duration.ofSeconds(30));
                JsonNode down = store(hub, "cache");
                assertThat(down.get("consecutiveFailures").asInt()).isGreaterThanOrEqualTo(2);
                assertThat(down.get("lastError").asText()).isNotBlank();
                assertThat(hub.get("/v1/health").statusCode()).isEqualTo(503);
                assertThat(hub.get("/metrics").body()).contains("suho_hub_store_up{store=\"cache\"} 0");
            } finally {
                LocalStack.up(StoreKind.REDIS);
            }
            awaitStatus(hub, "cache", "UP", Duration.ofSeconds(30));
            assertThat(hub.get("/metrics").body()).contains("suho_hub_store_up{store=\"cache\"} 1");
        }
    }
}
