package io.suho.client.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.ScriptedHttpEndpoint;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GraphClient#execute}: a native call on the driver's {@code ArangoDatabase} goes through the graph store's
 * pipeline — counted in {@code suho.client.requests} under the caller's operation name, failures typed like every
 * other call, rejected without running while the breaker is open. The {@link ScriptedHttpEndpoint} scripts only the
 * HTTP answer under test (never data behaviour: that is {@code ArangoIT}); the breaker is opened with real refused
 * connections to 127.0.0.1:1.
 */
class GraphExecuteTest {
    private static final String VERSION = "/_db/suho_graph/_api/version";
    private static final String COUNT = "/_db/suho_graph/_api/collection/traders/count";
    private static final String INSERT = "/_db/suho_graph/_api/document/traders";

    @TempDir
    Path dir;
    private ScriptedHttpEndpoint server;
    private SuhoClients suho;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

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

    private GraphClient client(String endpoint, Map<String, String> resilience) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("graph-execute-test")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .meterRegistry(registry)
                .endpoint(Store.GRAPH, endpoint)
                .credentials(Store.GRAPH, "root", "test-secret")
                .set("suho.graph.protocol", "http1")
                .set("suho.graph.timeout", "500ms")
                .set("suho.graph.retry.max-retries", "0")
                .set("suho.graph.retry.min-backoff", "1ms").set("suho.graph.retry.max-backoff", "5ms");
        resilience.forEach(b::set);
        suho = b.build();
        return suho.get(GraphClient.class);
    }

    private GraphClient scripted() {
        return client("127.0.0.1:" + server.port(), Map.of());
    }

    private long count(String operation, String outcome) {
        Timer t = registry.find("suho.client.requests")
                .tags("store", "graph", "operation", operation, "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void aNativeCallRunsThroughThePipelineAndIsCountedUnderItsOperation() {
        server.on("GET", VERSION, ScriptedHttpEndpoint.Answer.of(200,
                "{\"server\":\"arango\",\"version\":\"3.12.5\",\"license\":\"community\"}"));
        GraphClient graph = scripted();
        String version = graph.execute("server.version", true, db -> db.getVersion().getVersion());
        assertThat(version).isEqualTo("3.12.5");
        assertThat(count("server.version", "success")).isEqualTo(1);
    }

    @Test
    void theDocsExampleCountsThroughTheDriver() {
        server.on("GET", COUNT, ScriptedHttpEndpoint.Answer.of(200, "{\"name\":\"traders\",\"count\":42}"));
        GraphClient graph = scripted();
        assertThat(new TraderAdmin(graph).traders()).isEqualTo(42);
        assertThat(count("traders.count", "success")).isEqualTo(1);
    }

    @Test
    void failuresInsideANativeCallAreTypedLikeEveryOtherCall() {
        GraphClient graph = scripted();
        server.on("POST", INSERT, ScriptedHttpEndpoint.Answer.of(409, "{\"error\":true,\"code\":409,\"errorNum\":1210,"
                + "\"errorMessage\":\"unique constraint violated - in index primary\"}"));
        assertThatThrownBy(() -> graph.execute("traders.insert", false,
                db -> db.collection("traders").insertDocument(Map.of("_key", "ann"))))
                .isInstanceOfSatisfying(DuplicateKeyException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("1210");
                    assertThat(e.operation()).isEqualTo("traders.insert");
                });
        assertThat(count("traders.insert", "error")).isEqualTo(1);

        server.on("POST", INSERT, ScriptedHttpEndpoint.Answer.of(504, "{\"error\":true,\"code\":504,\"errorNum\":0}"));
        assertThatThrownBy(() -> graph.execute("traders.insert", false,
                db -> db.collection("traders").insertDocument(Map.of("_key", "ann"))))
                .isInstanceOf(StoreTimeoutException.class);
        assertThat(count("traders.insert", "timeout")).isEqualTo(1);

        server.on("POST", INSERT, ScriptedHttpEndpoint.Answer.of(429, "{\"error\":true,\"code\":429,\"errorNum\":0}"));
        assertThatThrownBy(() -> graph.execute("traders.insert", false,
                db -> db.collection("traders").insertDocument(Map.of("_key", "ann"))))
                .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isFalse());

        server.on("POST", INSERT, ScriptedHttpEndpoint.Answer.of(400, "{\"error\":true,\"code\":400,\"errorNum\":1221,"
                + "\"errorMessage\":\"illegal document key\"}"));
        assertThatThrownBy(() -> graph.execute("traders.insert", false,
                db -> db.collection("traders").insertDocument(Map.of("_key", "a b"))))
                .isInstanceOfSatisfying(StoreOperationException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("1221"));
    }

    @Test
    void theCallersOwnExceptionsPassThroughUnchangedAndDoNotCount() {
        GraphClient graph = scripted();
        IllegalStateException mine = new IllegalStateException("not the store's fault");
        assertThatThrownBy(() -> graph.execute("mine", true, db -> {
            throw mine;
        })).isSameAs(mine);
        assertThat(count("mine", "error")).isEqualTo(1);
        assertThat(suho.breakerStates()).containsEntry(Store.GRAPH, "CLOSED");
    }

    @Test
    void refusedConnectionsOpenTheBreakerWhichThenRejectsWithoutRunningTheCall() {
        GraphClient graph = client("127.0.0.1:1", Map.of("suho.graph.breaker.failure-threshold", "2",
                "suho.graph.breaker.window", "2", "suho.graph.breaker.delay", "1m"));
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> graph.execute("server.version", true, db -> {
                ran.incrementAndGet();
                return db.getVersion();
            })).isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isFalse())
                    .hasMessageContaining("server.version was not sent");
        }
        assertThatThrownBy(() -> graph.execute("server.version", true, db -> {
            ran.incrementAndGet();
            return db.getVersion();
        })).isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isTrue());
        assertThat(ran).hasValue(2);
        assertThat(count("server.version", "error")).isEqualTo(2);
        assertThat(count("server.version", "rejected")).isEqualTo(1);
        assertThat(suho.breakerStates()).containsEntry(Store.GRAPH, "OPEN");
    }
}
