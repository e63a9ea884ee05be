package io.suho.client.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import io.weaviate.client6.v1.api.Authentication;
import io.weaviate.client6.v1.api.WeaviateClient;
import io.weaviate.client6.v1.api.collections.Vectors;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the vector client against a real Weaviate (1.32+) from {@code SUHO_WEAVIATE_URL} (API key in
 * {@code SUHO_WEAVIATE_API_KEY}, gRPC port in {@code SUHO_WEAVIATE_GRPC_PORT}, default 50051) or Testcontainers.
 * Without one, every test is skipped with the reason printed. Each test uses its own collection and drops it.
 *
 * <p>The server is resolved in {@code @BeforeAll} rather than through a {@code @RealStore} parameter: an abort thrown
 * while JUnit resolves a parameter is reported as an error, not a skip.
 */
class WeaviateIT {
    private static StoreServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void resolve() {
        server = RealStoreExtension.require(StoreKind.WEAVIATE, "WeaviateIT");
    }

    private static String grpcPort() {
        String p = System.getenv("SUHO_WEAVIATE_GRPC_PORT");
        return p == null || p.isBlank() ? "50051" : p.trim();
    }

    private SuhoClients suho() {
        return suho(new SimpleMeterRegistry());
    }

    private SuhoClients suho(SimpleMeterRegistry registry) {
        return server.configure(SuhoClients.builder().serviceName("vector-it"))
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .meterRegistry(registry)
                .set("suho.vector.grpc.port", grpcPort())
                .set("suho.vector.timeout", "5s")
                .build();
    }

    private static String collectionName() {
        return "SuhoIt" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    /** Drops the test collection with the raw driver (the SDK has no drop on purpose). */
    private static void drop(String collection) throws Exception {
        try (WeaviateClient raw = WeaviateClient.connectToCustom(c -> {
            c.scheme("http").httpHost(server.host()).httpPort(server.port()).grpcHost(server.host())
                    .grpcPort(Integer.parseInt(grpcPort()));
            if (server.password() != null) {
                c.authentication(Authentication.apiKey(server.password()));
            }
            return c;
        })) {
            raw.collections.delete(collection);
        }
    }

    private static VectorCollection insights(String name) {
        return VectorCollection.builder(name).property("symbol", PropertyType.TEXT)
                .property("summary", PropertyType.TEXT).property("confidence", PropertyType.NUMBER).build();
    }

    @Test
    void declaresCollectionsIdempotentlyAndRefusesConflicts()
            throws Exception {
        String name = collectionName();
        try (SuhoClients suho = suho()) {
            VectorClient vectors = suho.get(VectorClient.class);
            assertThat(vectors.ensureCollection(insights(name))).isEqualTo(CollectionStatus.CREATED);
            assertThat(vectors.ensureCollection(insights(name))).isEqualTo(CollectionStatus.UNCHANGED);
            VectorCollection wider = VectorCollection.builder(name).property("symbol", PropertyType.TEXT)
                    .property("summary", PropertyType.TEXT).property("confidence", PropertyType.NUMBER)
                    .property("horizonDays", PropertyType.INT).build();
            assertThat(vectors.ensureCollection(wider)).isEqualTo(CollectionStatus.PROPERTIES_ADDED);
            VectorCollection conflicting = VectorCollection.builder(name).property("symbol", PropertyType.INT).build();
            assertThatThrownBy(() -> vectors.ensureCollection(conflicting)).isInstanceOf(SchemaMismatchException.class);
        } finally {
            drop(name);
        }
    }

    @Test
    void upsertsSearchesAndDeletes() throws Exception {
        String name = collectionName();
        try (SuhoClients suho = suho()) {
            VectorClient vectors = suho.get(VectorClient.class);
            vectors.ensureCollection(insights(name));
            String aapl = VectorObject.idFor("AAPL-1");
            String msft = VectorObject.idFor("MSFT-1");
            String tsla = VectorObject.idFor("TSLA-1");
            vectors.upsert(name, VectorObject.of(aapl, Map.of("symbol", "AAPL", "summary", "earnings beat",
                    "confidence", 0.9), new float[] {1f, 0f, 0f}));
            BatchResult batch = vectors.upsertAll(name, List.of(
                    VectorObject.of(msft, Map.of("symbol", "MSFT", "summary", "guidance cut", "confidence", 0.4),
                            new float[] {0.9f, 0.1f, 0f}),
                    VectorObject.of(tsla, Map.of("symbol", "TSLA", "summary", "delivery miss", "confidence", 0.7),
                            new float[] {0f, 0f, 1f})));
            assertThat(batch.allStored()).isTrue();
            assertThat(batch.stored()).containsExactly(msft, tsla);

            // same id again overwrites
            vectors.upsert(name, VectorObject.of(aapl, Map.of("symbol", "AAPL", "summary", "earnings beat again",
                    "confidence", 0.95), new float[] {1f, 0f, 0f}));
            Optional<VectorObject> got = vectors.get(name, aapl);
            assertThat(got).isPresent();
            assertThat(got.get().properties()).containsEntry("summary", "earnings beat again");
            assertThat(got.get().vector()).containsExactly(1f, 0f, 0f);

            List<VectorMatch> near = vectors.search(name, VectorQuery.nearVector(new float[] {1f, 0f, 0f}).limit(2));
            assertThat(near).extracting(VectorMatch::id).containsExactly(aapl, msft);
            assertThat(near.get(0).distance()).isLessThan(near.get(1).distance());

            List<VectorMatch> filtered = vectors.search(name, VectorQuery.nearVector(new float[] {1f, 0f, 0f})
                    .filter(VectorFilter.gte("confidence", 0.6)).limit(5));
            assertThat(filtered).extracting(VectorMatch::id).containsExactly(aapl, tsla);

            List<VectorMatch> hybrid = vectors.search(name, VectorQuery.hybrid("delivery", new float[] {0f, 0f, 1f})
                    .limit(1));
            assertThat(hybrid).extracting(VectorMatch::id).containsExactly(tsla);

            assertThat(vectors.delete(name, tsla)).isTrue();
            assertThat(vectors.delete(name, tsla)).isFalse();
            assertThat(vectors.get(name, tsla)).isEmpty();
        } finally {
            drop(name);
        }
    }

    @Test
    void reportsRejectedObjectsOfABatchOneByOne() throws Exception {
        String name = collectionName();
        try (SuhoClients suho = suho()) {
            VectorClient vectors = suho.get(VectorClient.class);
            vectors.ensureCollection(insights(name));
            String good = VectorObject.idFor("good");
            String bad = VectorObject.idFor("bad");
            BatchResult r = vectors.upsertAll(name, List.of(
                    VectorObject.of(good, Map.of("symbol", "AAPL", "confidence", 0.5), new float[] {1f, 0f}),
                    VectorObject.of(bad, Map.of("symbol", "AAPL", "confidence", "very"), new float[] {1f, 0f})));
            assertThat(r.stored()).containsExactly(good);
            assertThat(r.failures()).containsOnlyKeys(bad);
        } finally {
            drop(name);
        }
    }

    @Test
    void executeRunsANativeCallCountedUnderItsOperation() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = suho(registry)) {
            VectorClient vectors = suho.get(VectorClient.class);
            String version = vectors.execute("server.version", true, weaviate -> weaviate.meta().version());
            assertThat(version).isNotBlank();
            assertThat(registry.find("suho.client.requests").tags("store", "vector", "operation", "server.version",
                    "outcome", "success").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void executeIsRejectedWithoutRunningWhileTheBreakerIsOpen() {
        // real refused connections open the breaker; the next call does no I/O and never runs the lambda
        try (SuhoClients suho = SuhoClients.builder().serviceName("vector-it-breaker")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("refused.json")).meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.VECTOR, "127.0.0.1:1")
                .set("suho.vector.retry.max-retries", "0").set("suho.vector.breaker.failure-threshold", "2")
                .set("suho.vector.breaker.window", "2").set("suho.vector.breaker.delay", "1m").build()) {
            VectorClient vectors = suho.get(VectorClient.class);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> vectors.execute("server.version", true, w -> ran.incrementAndGet()))
                        .isInstanceOfSatisfying(StoreUnavailableException.class,
                                e -> assertThat(e.breakerOpen()).isFalse());
            }
            assertThatThrownBy(() -> vectors.execute("server.version", true, w -> ran.incrementAndGet()))
                    .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isTrue());
            assertThat(ran).hasValue(0);
        }
    }

    @Test
    void anInsertWhoseIdExistsIsADuplicateKey() throws Exception {
        String name = collectionName();
        try (SuhoClients suho = suho()) {
            VectorClient vectors = suho.get(VectorClient.class);
            vectors.ensureCollection(insights(name));
            String id = VectorObject.idFor("dup-1");
            Map<String, Object> props = Map.of("symbol", "AAPL", "summary", "first", "confidence", 0.5);
            vectors.execute("insert", false, w -> w.collections.use(name).data
                    .insert(props, o -> o.uuid(id).vectors(Vectors.of("default", new float[] {1f, 0f}))));
            assertThatThrownBy(() -> vectors.execute("insert", false, w -> w.collections.use(name).data
                    .insert(props, o -> o.uuid(id).vectors(Vectors.of("default", new float[] {1f, 0f})))))
                    .isInstanceOfSatisfying(DuplicateKeyException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("422"));
        } finally {
            drop(name);
        }
    }

    @Test
    void healthIsUpWhenWeaviateIsReady() {
        try (SuhoClients suho = suho()) {
            suho.get(VectorClient.class);
            assertThat(suho.health(Store.VECTOR).status()).isEqualTo(HealthStatus.UP);
        }
    }
}
