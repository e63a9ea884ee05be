package io.suho.client.vector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.client.vector.PropertyType;
import io.suho.client.vector.VectorClient;
import io.suho.client.vector.VectorCollection;
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
 * Tests OUR handling of HTTP failures on the path to Weaviate — 5xx answers, answers that never come, bodies that
 * are not JSON, a port nobody listens on — through the real client6 driver and the SDK pipeline (retries, breaker,
 * typed outcomes, health). The {@link ScriptedHttpEndpoint} only scripts those failures (plus the two handshake routes
 * client6 needs before it sends anything); nothing here checks that data is stored or found — that is what
 * {@code WeaviateIT} does against a real Weaviate.
 */
class WeaviateHttpFailureHandlingTest {
    private static final String META = "{\"hostname\":\"http://[::]:8080\",\"version\":\"1.32.4\",\"modules\":{}}";
    private static final String SCHEMA = "/v1/schema/Trades";
    private static final VectorCollection TRADES = VectorCollection.builder("Trades")
            .property("symbol", PropertyType.TEXT).build();

    @TempDir
    Path dir;
    private ScriptedHttpEndpoint server;
    private SuhoClients suho;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedHttpEndpoint()
                .on("GET", "/v1/.well-known/live", ScriptedHttpEndpoint.Answer.of(200, ""))
                .on("GET", "/v1/meta", ScriptedHttpEndpoint.Answer.of(200, META));
    }

    @AfterEach
    void stop() {
        if (suho != null) {
            suho.close();
        }
        server.close();
    }

    /**
     * Resilience goes in as config keys: core's builder-level {@code resilience(Store, …)} is currently overridden by
     * the keys' defaults (reported to the core owner).
     */
    private VectorClient client(int port, Map<String, String> resilience) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("vector-failure-test")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.VECTOR, "127.0.0.1:" + port)
                .set("suho.vector.timeout", "1s")
                .set("suho.vector.retry.min-backoff", "1ms").set("suho.vector.retry.max-backoff", "5ms");
        resilience.forEach(b::set);
        suho = b.build();
        return suho.get(VectorClient.class);
    }

    private static Map<String, String> retries(int n) {
        return Map.of("suho.vector.retry.max-retries", Integer.toString(n),
                "suho.vector.breaker.failure-threshold", "50", "suho.vector.breaker.window", "50");
    }

    @Test
    void aServerErrorIsAnAnswerSoItIsNeitherRetriedNorCounted() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(500, "{\"error\":[{\"message\":\"disk full\"}]}"));
        VectorClient vectors = client(server.port(), retries(2));
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .isInstanceOfSatisfying(StoreOperationException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("500");
                    assertThat(e.getMessage()).contains("vector ensureCollection failed").contains("disk full");
                });
        assertThat(server.hits("GET", SCHEMA)).isEqualTo(1);
        assertThat(suho.breakerStates()).containsEntry(Store.VECTOR, "CLOSED");
    }

    @Test
    void aBadGatewayIsRetriedThenReportedAsNotSent() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(502, "{\"error\":[{\"message\":\"no upstream\"}]}"));
        VectorClient vectors = client(server.port(), retries(2));
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isFalse())
                .hasMessageContaining("vector is unavailable: ensureCollection was not sent")
                .hasMessageContaining("502");
        assertThat(server.hits("GET", SCHEMA)).isEqualTo(3);
    }

    @Test
    void serviceUnavailableIsReportedAsNotSentAfterTheDriversOwnRetry() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(503, "{\"error\":[{\"message\":\"shutting down\"}]}"));
        VectorClient vectors = client(server.port(), retries(0));
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("503");
        // client6's Apache HttpClient re-sends a 503 once (after Retry-After or 1 s) before we see it
        assertThat(server.hits("GET", SCHEMA)).isEqualTo(2);
    }

    @Test
    void aGatewayTimeoutIsAnUnknownOutcome() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(504,
                "{\"error\":[{\"message\":\"upstream timed out\"}]}"));
        VectorClient vectors = client(server.port(), retries(0));
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
                    assertThat(e.serverReported()).isFalse();
                    assertThat(e.operation()).isEqualTo("ensureCollection");
                })
                .hasMessageContaining("(outcome unknown)").hasMessageContaining("[504]");
    }

    @Test
    void anAnswerThatNeverComesTimesOutWithTheStoreTimeout() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.hanging());
        VectorClient vectors = client(server.port(), retries(0));
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
                    assertThat(e.store()).isEqualTo(Store.VECTOR);
                    assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
                })
                .hasMessageContaining("vector ensureCollection got no answer within 1s (outcome unknown)");
        assertThat(server.hits("GET", SCHEMA)).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotJsonIsReportedAsABrokenPathNotAsData() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(200, "<html>proxy login</html>"));
        VectorClient vectors = client(server.port(), retries(1));
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("not Weaviate's JSON")
                .hasMessageContaining("[MALFORMED_RESPONSE]");
        assertThat(server.hits("GET", SCHEMA)).isEqualTo(2);
    }

    @Test
    void anHtmlErrorPageFromAProxyStillCountsAsUnavailable() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(502, "<html>Bad Gateway</html>"));
        VectorClient vectors = client(server.port(), retries(0));
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void repeatedFailuresOpenTheBreakerWhichThenRejectsWithoutARequest() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(502, "{\"error\":[{\"message\":\"no upstream\"}]}"));
        VectorClient vectors = client(server.port(), Map.of("suho.vector.retry.max-retries", "0",
                "suho.vector.breaker.failure-threshold", "2", "suho.vector.breaker.window", "2",
                "suho.vector.breaker.delay", "1m"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> vectors.ensureCollection(TRADES)).isInstanceOf(StoreUnavailableException.class);
        }
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isTrue());
        assertThat(server.hits("GET", SCHEMA)).isEqualTo(2);
        assertThat(suho.breakerStates()).containsEntry(Store.VECTOR, "OPEN");
    }

    @Test
    void healthFollowsTheReadinessEndpoint() {
        server.on("GET", "/v1/.well-known/ready", ScriptedHttpEndpoint.Answer.of(503, ""));
        client(server.port(), retries(0));
        StoreHealth down = suho.health(Store.VECTOR);
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.error()).contains("HTTP 503");
        server.on("GET", "/v1/.well-known/ready", ScriptedHttpEndpoint.Answer.of(200, ""));
        assertThat(suho.health(Store.VECTOR).status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aPortNobodyListensOnLetsTheAppStartAndFailsCallsAsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        VectorClient vectors = client(closedPort, retries(0));
        assertThatThrownBy(() -> vectors.ensureCollection(TRADES)).isInstanceOf(StoreUnavailableException.class);
        assertThat(suho.health(Store.VECTOR).status()).isEqualTo(HealthStatus.DOWN);
    }
}
