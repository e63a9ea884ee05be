package io.suho.client.vector;

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
 * {@link VectorClient#execute}: a native client6 call goes through the vector store's pipeline — counted in
 * {@code suho.client.requests} under the caller's operation name, failures typed like every other call, rejected
 * without running while the breaker is open. The {@link ScriptedHttpEndpoint} scripts only client6's two handshake
 * routes and the HTTP failure under test (never data behaviour: that is {@code WeaviateIT}); the breaker is opened
 * with real refused connections to 127.0.0.1:1.
 */
class VectorExecuteTest {
    private static final String META = "{\"hostname\":\"http://[::]:8080\",\"version\":\"1.32.4\",\"modules\":{}}";
    private static final String SCHEMA = "/v1/schema/Trades";

    @TempDir
    Path dir;
    private ScriptedHttpEndpoint server;
    private SuhoClients suho;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

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

    private VectorClient client(String endpoint, Map<String, String> resilience) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("vector-execute-test")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .meterRegistry(registry)
                .endpoint(Store.VECTOR, endpoint)
                .set("suho.vector.timeout", "1s")
                .set("suho.vector.retry.max-retries", "0")
                .set("suho.vector.retry.min-backoff", "1ms").set("suho.vector.retry.max-backoff", "5ms");
        resilience.forEach(b::set);
        suho = b.build();
        return suho.get(VectorClient.class);
    }

    private VectorClient scripted() {
        return client("127.0.0.1:" + server.port(), Map.of());
    }

    private long count(String operation, String outcome) {
        Timer t = registry.find("suho.client.requests")
                .tags("store", "vector", "operation", operation, "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void aNativeCallRunsThroughThePipelineAndIsCountedUnderItsOperation() {
        VectorClient vectors = scripted();
        String version = vectors.execute("server.version", true, weaviate -> weaviate.meta().version());
        assertThat(version).isEqualTo("1.32.4");
        assertThat(count("server.version", "success")).isEqualTo(1);
    }

    @Test
    void failuresInsideANativeCallAreTypedLikeEveryOtherCall() {
        VectorClient vectors = scripted();
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(504, "{\"error\":[{\"message\":\"gateway\"}]}"));
        assertThatThrownBy(() -> vectors.execute("schema.exists", true, w -> w.collections.exists("Trades")))
                .isInstanceOfSatisfying(StoreTimeoutException.class,
                        e -> assertThat(e.operation()).isEqualTo("schema.exists"));
        assertThat(count("schema.exists", "timeout")).isEqualTo(1);

        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(502, "{\"error\":[{\"message\":\"no upstream\"}]}"));
        assertThatThrownBy(() -> vectors.execute("schema.exists", true, w -> w.collections.exists("Trades")))
                .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isFalse())
                .hasMessageContaining("schema.exists was not sent");

        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(400, "{\"error\":[{\"message\":\"bad name\"}]}"));
        assertThatThrownBy(() -> vectors.execute("schema.exists", true, w -> w.collections.exists("Trades")))
                .isInstanceOfSatisfying(StoreOperationException.class, e -> assertThat(e.errorCode()).isEqualTo("400"));
        assertThat(count("schema.exists", "error")).isEqualTo(2);
    }

    @Test
    void anInsertWhoseIdExistsIsADuplicateKey() {
        String id = VectorObject.idFor("insight:AAPL:1");
        server.on("POST", "/v1/objects/", ScriptedHttpEndpoint.Answer.of(422,
                "{\"error\":[{\"message\":\"id '" + id + "' already exists\"}]}"));
        VectorClient vectors = scripted();
        // the docs' example: insert-if-absent through the escape hatch
        assertThat(new InsightCounts(vectors).insertIfAbsent(id, Map.of("symbol", "AAPL"), new float[] {1f, 0f}))
                .isFalse();
        assertThat(server.hits("POST", "/v1/objects/")).isEqualTo(1);
        assertThatThrownBy(() -> vectors.execute("insights.insert", false, w -> w.collections.use("TradingInsight")
                .data.insert(Map.<String, Object>of("symbol", "AAPL"), o -> o.uuid(id))))
                .isInstanceOfSatisfying(DuplicateKeyException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("422");
                    assertThat(e.store()).isEqualTo(Store.VECTOR);
                    assertThat(e.getMessage()).contains("already exists");
                });
    }

    @Test
    void theCallersOwnExceptionsPassThroughUnchangedAndDoNotCount() {
        VectorClient vectors = scripted();
        IllegalStateException mine = new IllegalStateException("not the store's fault");
        assertThatThrownBy(() -> vectors.execute("mine", true, w -> {
            throw mine;
        })).isSameAs(mine);
        assertThat(count("mine", "error")).isEqualTo(1);
        assertThat(suho.breakerStates()).containsEntry(Store.VECTOR, "CLOSED");
    }

    @Test
    void refusedConnectionsOpenTheBreakerWhichThenRejectsWithoutRunningTheCall() {
        VectorClient vectors = client("127.0.0.1:1", Map.of("suho.vector.breaker.failure-threshold", "2",
                "suho.vector.breaker.window", "2", "suho.vector.breaker.delay", "1m"));
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> vectors.execute("server.version", true, w -> {
                ran.incrementAndGet();
                return w.meta().version();
            })).isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isFalse())
                    .hasMessageContaining("server.version was not sent");
        }
        assertThatThrownBy(() -> vectors.execute("server.version", true, w -> {
            ran.incrementAndGet();
            return w.meta().version();
        })).isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isTrue());
        // the client could not be opened, so no attempt ever reached the lambda; the rejection did not try
        assertThat(ran).hasValue(0);
        assertThat(count("server.version", "error")).isEqualTo(2);
        assertThat(count("server.version", "rejected")).isEqualTo(1);
        assertThat(suho.breakerStates()).containsEntry(Store.VECTOR, "OPEN");
    }

    @Test
    void aBreakerOpenedByFailingNativeCallsRejectsTheNextOneWithoutRunningIt() {
        server.on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(502, "{\"error\":[{\"message\":\"no upstream\"}]}"));
        VectorClient vectors = client("127.0.0.1:" + server.port(), Map.of(
                "suho.vector.breaker.failure-threshold", "2", "suho.vector.breaker.window", "2",
                "suho.vector.breaker.delay", "1m"));
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> vectors.execute("schema.exists", true, w -> {
                ran.incrementAndGet();
                return w.collections.exists("Trades");
            })).isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(ran).hasValue(2);
        assertThat(server.hits("GET", SCHEMA)).isEqualTo(2);
        assertThat(count("schema.exists", "rejected")).isEqualTo(1);
    }
}
