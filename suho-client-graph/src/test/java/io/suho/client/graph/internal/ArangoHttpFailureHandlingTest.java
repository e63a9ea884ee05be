package io.suho.client.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.client.graph.GraphClient;
import io.suho.test.ScriptedHttpEndpoint;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests OUR handling of HTTP failures on the path to ArangoDB — 5xx answers, answers that never come, bodies that
 * are not JSON, error bodies with ArangoDB error numbers, a port nobody listens on — through the real ArangoDB driver
 * (HTTP/1.1, which the JDK test server speaks) and the SDK pipeline (retries, breaker, typed outcomes, health). The
 * {@link ScriptedHttpEndpoint} only scripts those answers; nothing here checks that documents are stored or found — that
 * is what {@code ArangoIT} does against a real ArangoDB.
 */
class ArangoHttpFailureHandlingTest {
    private static final String DOC = "/_db/suho_graph/_api/document/trades/k1";
    private static final String INSERT = "/_db/suho_graph/_api/document/trades";
    private static final String VERSION = "/_db/_system/_api/version";

    @TempDir
    Path dir;
    private ScriptedHttpEndpoint server;
    private SuhoClients suho;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedHttpEndpoint();
    }

    @AfterEach
    void stop() {
        if (suho != null) {
            suho.close();
        }
        server.close();
    }

    /** Resilience as config keys (core's builder-level resilience is overridden by key defaults at the moment). */
    private GraphClient client(int port, int retries, Map<String, String> extra) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("graph-failure-test")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.GRAPH, "127.0.0.1:" + port)
                .credentials(Store.GRAPH, "root", "test-secret")
                .set("suho.graph.protocol", "http1")
                .set("suho.graph.timeout", "500ms")
                .set("suho.graph.retry.max-retries", Integer.toString(retries))
                .set("suho.graph.retry.min-backoff", "1ms").set("suho.graph.retry.max-backoff", "5ms")
                .set("suho.graph.breaker.failure-threshold", "50").set("suho.graph.breaker.window", "50");
        extra.forEach(b::set);
        suho = b.build();
        return suho.get(GraphClient.class);
    }

    @Test
    void unavailableAnswersOnReadsAreRetriedThenReportedAsNotSent() {
        server.on("GET", DOC, ScriptedHttpEndpoint.Answer.of(503,
                "{\"error\":true,\"code\":503,\"errorNum\":21,\"errorMessage\":\"shutting down\"}"));
        GraphClient graph = client(server.port(), 2, Map.of());
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isFalse())
                .hasMessageContaining("graph is unavailable: get was not sent: shutting down [21]");
        assertThat(server.hits("GET", DOC)).isEqualTo(3);
    }

    @Test
    void aServerErrorIsAnAnswerSoItIsNeitherRetriedNorCounted() {
        server.on("GET", DOC, ScriptedHttpEndpoint.Answer.of(500,
                "{\"error\":true,\"code\":500,\"errorNum\":4,\"errorMessage\":\"internal\"}"));
        GraphClient graph = client(server.port(), 2, Map.of());
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOfSatisfying(StoreOperationException.class, e -> assertThat(e.errorCode()).isEqualTo("4"))
                .hasMessageContaining("graph get failed [4]: internal");
        assertThat(server.hits("GET", DOC)).isEqualTo(1);
        assertThat(suho.breakerStates()).containsEntry(Store.GRAPH, "CLOSED");
    }

    @Test
    void insertsAreNeverRetried() {
        server.on("POST", INSERT, ScriptedHttpEndpoint.Answer.of(503, "{\"error\":true,\"code\":503,\"errorNum\":21,"
                + "\"errorMessage\":\"shutting down\"}"));
        GraphClient graph = client(server.port(), 2, Map.of());
        assertThatThrownBy(() -> graph.insert("trades", Map.of("symbol", "AAPL")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(server.hits("POST", INSERT)).isEqualTo(1);
    }

    @Test
    void aUniqueConstraintViolationIsADuplicateKey() {
        server.on("POST", INSERT, ScriptedHttpEndpoint.Answer.of(409, "{\"error\":true,\"code\":409,\"errorNum\":1210,"
                + "\"errorMessage\":\"unique constraint violated - in index primary\"}"));
        GraphClient graph = client(server.port(), 2, Map.of());
        assertThatThrownBy(() -> graph.insert("trades", Map.of("_key", "k1")))
                .isInstanceOfSatisfying(DuplicateKeyException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("1210");
                    assertThat(e.store()).isEqualTo(Store.GRAPH);
                    assertThat(e.getMessage()).contains("unique constraint violated").doesNotContain("test-secret");
                });
        assertThat(server.hits("POST", INSERT)).isEqualTo(1);
        assertThat(suho.breakerStates()).containsEntry(Store.GRAPH, "CLOSED");
    }

    @Test
    void aGatewayTimeoutIsAnUnknownOutcome() {
        server.on("POST", INSERT, ScriptedHttpEndpoint.Answer.of(504, "<html>Gateway Timeout</html>"));
        GraphClient graph = client(server.port(), 2, Map.of());
        assertThatThrownBy(() -> graph.insert("trades", Map.of("symbol", "AAPL")))
                .isInstanceOfSatisfying(StoreTimeoutException.class, e -> assertThat(e.serverReported()).isFalse())
                .hasMessageContaining("graph insert got no answer within 500ms (outcome unknown)")
                .hasMessageContaining("not ArangoDB's JSON").hasMessageContaining("[504]");
    }

    @Test
    void aMissingDocumentIsEmptyNotAnError() {
        server.on("GET", DOC, ScriptedHttpEndpoint.Answer.of(404, "{\"error\":true,\"code\":404,\"errorNum\":1202,"
                + "\"errorMessage\":\"document not found\"}"));
        GraphClient graph = client(server.port(), 0, Map.of());
        assertThat(graph.get("trades", "k1", Map.class)).isEmpty();
    }

    @Test
    void anAnswerThatNeverComesTimesOutWithTheStoreTimeout() {
        server.on("GET", DOC, ScriptedHttpEndpoint.Answer.hanging());
        GraphClient graph = client(server.port(), 0, Map.of());
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
                    assertThat(e.store()).isEqualTo(Store.GRAPH);
                    assertThat(e.operation()).isEqualTo("get");
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(500));
                })
                .hasMessageContaining("graph get got no answer within 500ms (outcome unknown)");
    }

    @Test
    void aBodyThatIsNotJsonIsReportedAsABrokenPath() {
        server.on("GET", DOC, ScriptedHttpEndpoint.Answer.of(200, "<html>captive portal</html>"));
        GraphClient graph = client(server.port(), 1, Map.of());
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("[MALFORMED_RESPONSE]");
        assertThat(server.hits("GET", DOC)).isEqualTo(2);
    }

    @Test
    void repeatedFailuresOpenTheBreakerWhichThenRejectsWithoutARequest() {
        server.on("GET", DOC, ScriptedHttpEndpoint.Answer.of(503, "{\"error\":true,\"code\":503,\"errorNum\":21}"));
        GraphClient graph = client(server.port(), 0, Map.of("suho.graph.breaker.failure-threshold", "2",
                "suho.graph.breaker.window", "2", "suho.graph.breaker.delay", "1m"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                    .isInstanceOf(StoreUnavailableException.class);
        }
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isTrue());
        assertThat(server.hits("GET", DOC)).isEqualTo(2);
    }

    @Test
    void healthReadsTheVersionEndpoint() {
        server.on("GET", VERSION, ScriptedHttpEndpoint.Answer.of(503, "{\"error\":true,\"code\":503,\"errorNum\":21}"));
        client(server.port(), 0, Map.of());
        StoreHealth down = suho.health(Store.GRAPH);
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.error()).contains("/_api/version");
        server.on("GET", VERSION, ScriptedHttpEndpoint.Answer.of(200,
                "{\"server\":\"arango\",\"version\":\"3.12.5\",\"license\":\"community\"}"));
        StoreHealth up = suho.health(Store.GRAPH);
        assertThat(up.status()).isEqualTo(HealthStatus.UP);
        assertThat(up.detail()).containsEntry("version", "3.12.5");
    }

    @Test
    void aPortNobodyListensOnLetsTheAppStartAndFailsCallsAsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        GraphClient graph = client(closedPort, 0, Map.of());
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class)).isInstanceOf(StoreUnavailableException.class);
        assertThat(suho.health(Store.GRAPH).status()).isEqualTo(HealthStatus.DOWN);
    }
}
