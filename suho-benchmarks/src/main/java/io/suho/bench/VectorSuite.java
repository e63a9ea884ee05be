package io.suho.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.client.vector.PropertyType;
import io.suho.client.vector.VectorClient;
import io.suho.client.vector.VectorCollection;
import io.suho.client.vector.VectorObject;
import io.suho.client.vector.VectorQuery;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import io.weaviate.client6.v1.api.Authentication;
import io.weaviate.client6.v1.api.WeaviateClient;
import io.weaviate.client6.v1.api.collections.CollectionHandle;
import io.weaviate.client6.v1.api.collections.Vectors;
import io.weaviate.client6.v1.api.collections.WeaviateObject;
import io.weaviate.client6.v1.api.collections.query.Metadata;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * {@code --store vector}: the vector client against raw client6 on the same Weaviate with the same timeout, over a
 * throw-away collection of {@code --objects} (default 1000) objects of {@code --dim} (default 64) dimensions. Needs a
 * Weaviate: {@code SUHO_WEAVIATE_URL} (+ {@code SUHO_WEAVIATE_API_KEY}, {@code SUHO_WEAVIATE_GRPC_PORT}) or Docker.
 * Operations: {@code get_by_id} (REST-free gRPC fetch with vector), {@code near_vector_k10}, {@code upsert_one}.
 */
public final class VectorSuite implements BenchmarkSuite {
    private SuhoClients suho;
    private WeaviateClient raw;
    private String collection;

    @Override
    public String store() {
        return "vector";
    }

    @Override
    public List<BenchOperation> setUp(BenchContext ctx) throws Exception {
        StoreResolver.Resolution r = StoreResolver.resolve(StoreKind.WEAVIATE);
        if (!r.available()) {
            throw new IllegalStateException("no Weaviate server: " + r.reason());
        }
        StoreServer server = r.server();
        String grpcPort = System.getenv().getOrDefault("SUHO_WEAVIATE_GRPC_PORT", "50051");
        int dim = Integer.parseInt(ctx.arg("dim", "64"));
        int objects = Integer.parseInt(ctx.arg("objects", "1000"));
        suho = server.configure(SuhoClients.builder().serviceName("bench"))
                .environment(Map.of())
                .meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(Files.createTempDirectory("bench-vector").resolve("endpoints.json"))
                .set("suho.vector.grpc.port", grpcPort)
                .set("suho.vector.timeout", "2s")
                .build();
        VectorClient vectors = suho.get(VectorClient.class);
        raw = WeaviateClient.connectToCustom(c -> {
            c.scheme("http").httpHost(server.host()).httpPort(server.port()).grpcHost(server.host())
                    .grpcPort(Integer.parseInt(grpcPort)).timeout(2, 2, 2);
            if (server.password() != null) {
                c.authentication(Authentication.apiKey(server.password()));
            }
            return c;
        });

        collection = "SuhoBench" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)
                .toUpperCase(Locale.ROOT);
        vectors.ensureCollection(VectorCollection.builder(collection).property("symbol", PropertyType.TEXT)
                .property("confidence", PropertyType.NUMBER).build());
        Random rnd = new Random(42);
        List<VectorObject> seed = new ArrayList<>(objects);
        for (int i = 0; i < objects; i++) {
            seed.add(VectorObject.of(VectorObject.idFor("bench-" + i), Map.of("symbol", "S" + (i % 50),
                    "confidence", rnd.nextDouble()), randomVector(rnd, dim)));
        }
        vectors.upsertAll(collection, seed);
        CollectionHandle<Map<String, Object>> handle = raw.collections.use(collection);

        String id = seed.get(objects / 2).id();
        float[] query = randomVector(rnd, dim);
        VectorQuery near = VectorQuery.nearVector(query).limit(10);
        float[] upsertVector = randomVector(rnd, dim);
        String sdkId = VectorObject.idFor("bench-upsert-sdk");
        String rawId = VectorObject.idFor("bench-upsert-raw");
        Map<String, Object> props = Map.of("symbol", "AAPL", "confidence", 0.5);
        VectorObject sdkObject = VectorObject.of(sdkId, props, upsertVector);
        WeaviateObject<Map<String, Object>> rawObject = WeaviateObject.<Map<String, Object>>of(b -> b.uuid(rawId)
                .properties(props).vectors(Vectors.of("default", upsertVector)));

        List<BenchOperation> ops = new ArrayList<>();
        ops.add(BenchOperation.of("get_by_id", () -> vectors.get(collection, id).orElseThrow(),
                () -> handle.query.fetchObjectById(id, b -> b.includeVector("default")).orElseThrow()));
        ops.add(BenchOperation.of("near_vector_k10", () -> vectors.search(collection, near),
                () -> handle.query.nearVector(query, b -> b.limit(10).returnMetadata(Metadata.DISTANCE))));
        ops.add(BenchOperation.of("upsert_one", () -> vectors.upsert(collection, sdkObject),
                () -> {
                    var res = handle.data.insertMany(List.of(rawObject));
                    if (!res.errors().isEmpty()) {
                        throw new IllegalStateException(res.errors().get(0));
                    }
                }));
        return ops;
    }

    private static float[] randomVector(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Override
    public void close() throws Exception {
        try {
            if (raw != null && collection != null) {
                raw.collections.delete(collection);
            }
        } finally {
            if (raw != null) {
                raw.close();
            }
            if (suho != null) {
                suho.close();
            }
        }
    }
}
