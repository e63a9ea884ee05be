package io.suho.client.vector.internal;

import io.suho.client.core.NativeCall;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.vector.BatchResult;
import io.suho.client.vector.CollectionStatus;
import io.suho.client.vector.DistanceMetric;
import io.suho.client.vector.PropertyType;
import io.suho.client.vector.SchemaMismatchException;
import io.suho.client.vector.VectorClient;
import io.suho.client.vector.VectorCollection;
import io.suho.client.vector.VectorMatch;
import io.suho.client.vector.VectorObject;
import io.suho.client.vector.VectorQuery;
import io.weaviate.client6.v1.api.WeaviateApiException;
import io.weaviate.client6.v1.api.WeaviateClient;
import io.weaviate.client6.v1.api.collections.CollectionConfig;
import io.weaviate.client6.v1.api.collections.CollectionHandle;
import io.weaviate.client6.v1.api.collections.Property;
import io.weaviate.client6.v1.api.collections.VectorConfig;
import io.weaviate.client6.v1.api.collections.Vectors;
import io.weaviate.client6.v1.api.collections.WeaviateObject;
import io.weaviate.client6.v1.api.collections.data.InsertManyResponse;
import io.weaviate.client6.v1.api.collections.query.Hybrid;
import io.weaviate.client6.v1.api.collections.query.Metadata;
import io.weaviate.client6.v1.api.collections.query.NearVector;
import io.weaviate.client6.v1.api.collections.query.QueryResponse;
import io.weaviate.client6.v1.api.collections.vectorindex.Distance;
import io.weaviate.client6.v1.api.collections.vectorindex.Hnsw;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link VectorClient} over client6: schema calls go over REST, upserts (gRPC batch, which overwrites an existing
 * id) and searches over gRPC. Every operation runs through the store's {@link StoreExecutor}; the Weaviate
 * connection is opened inside the first call, so its failure counts against the breaker like any other.
 */
public final class WeaviateVectorClient implements VectorClient {
    static final String VECTOR_NAME = "default";

    private final WeaviateConnection connection;
    private final StoreExecutor executor;
    private final int batchSize;

    public WeaviateVectorClient(WeaviateConnection connection, StoreExecutor executor, int batchSize) {
        this.connection = connection;
        this.executor = executor;
        this.batchSize = batchSize;
    }

    @Override
    public CollectionStatus ensureCollection(VectorCollection collection) {
        Objects.requireNonNull(collection, "collection");
        return executor.call("ensureCollection", true, () -> {
            WeaviateClient c = connection.client();
            Optional<CollectionConfig> existing = c.collections.getConfig(collection.name());
            if (existing.isEmpty()) {
                try {
                    c.collections.create(toConfig(collection));
                    return CollectionStatus.CREATED;
                } catch (WeaviateApiException e) {
                    // another instance created it between our read and create: reconcile with what it made
                    existing = c.collections.getConfig(collection.name());
                    if (existing.isEmpty()) {
                        throw e;
                    }
                }
            }
            List<Property> missing = missingProperties(collection, existing.get());
            if (missing.isEmpty()) {
                return CollectionStatus.UNCHANGED;
            }
            CollectionHandle<Map<String, Object>> h = connection.collection(collection.name());
            for (Property p : missing) {
                h.config.addProperty(p);
            }
            return CollectionStatus.PROPERTIES_ADDED;
        });
    }

    /** The create request for a declared collection: caller-provided vectors, HNSW with its distance metric. */
    static CollectionConfig toConfig(VectorCollection collection) {
        List<Property> props = new ArrayList<>();
        collection.properties().forEach((name, type) -> props.add(property(name, type)));
        Distance distance = distance(collection.distance());
        return CollectionConfig.of(collection.name(), b -> {
            b.properties(props)
                    .vectorConfig(VectorConfig.selfProvided(VECTOR_NAME,
                            v -> v.vectorIndex(Hnsw.of(h -> h.distance(distance)))));
            if (collection.description() != null) {
                b.description(collection.description());
            }
            return b;
        });
    }

    /**
     * Properties declared but absent on the server; a property present with another type, or another distance
     * metric, is a {@link SchemaMismatchException}. Weaviate lower-cases the first letter of property names.
     */
    static List<Property> missingProperties(VectorCollection declared, CollectionConfig actual) {
        Map<String, List<String>> actualTypes = new LinkedHashMap<>();
        if (actual.properties() != null) {
            for (Property p : actual.properties()) {
                actualTypes.put(p.propertyName().toLowerCase(Locale.ROOT), p.dataTypes());
            }
        }
        List<Property> missing = new ArrayList<>();
        declared.properties().forEach((name, type) -> {
            List<String> have = actualTypes.get(name.toLowerCase(Locale.ROOT));
            if (have == null) {
                missing.add(property(name, type));
            } else if (!have.equals(List.of(type.weaviateName()))) {
                throw new SchemaMismatchException(declared.name(), "property '" + name + "' is " + have
                        + " on the server but declared " + type.weaviateName());
            }
        });
        Distance serverDistance = serverDistance(actual);
        Distance wanted = distance(declared.distance());
        if (serverDistance != null && serverDistance != wanted) {
            throw new SchemaMismatchException(declared.name(), "vector distance is " + serverDistance
                    + " on the server but declared " + declared.distance());
        }
        return missing;
    }

    private static Distance serverDistance(CollectionConfig actual) {
        if (actual.vectors() == null) {
            return null;
        }
        VectorConfig v = actual.vectors().get(VECTOR_NAME);
        if (v == null || !(v.vectorIndex() instanceof Hnsw h) || h.distance() == null) {
            return null;
        }
        return h.distance();
    }

    static Property property(String name, PropertyType type) {
        return switch (type) {
            case TEXT -> Property.text(name);
            case TEXT_ARRAY -> Property.textArray(name);
            case INT -> Property.integer(name);
            case INT_ARRAY -> Property.integerArray(name);
            case NUMBER -> Property.number(name);
            case NUMBER_ARRAY -> Property.numberArray(name);
            case BOOLEAN -> Property.bool(name);
            case DATE -> Property.date(name);
            case UUID -> Property.uuid(name);
        };
    }

    static Distance distance(DistanceMetric m) {
        return switch (m) {
            case COSINE -> Distance.COSINE;
            case DOT -> Distance.DOT;
            case L2_SQUARED -> Distance.L2_SQUARED;
            case MANHATTAN -> Distance.MANHATTAN;
            case HAMMING -> Distance.HAMMING;
        };
    }

    @Override
    public void upsert(String collection, VectorObject object) {
        String name = Names.collection(collection);
        WeaviateObject<Map<String, Object>> obj = toWeaviate(requireVector(object));
        executor.run("upsert", true, () -> {
            InsertManyResponse r = connection.collection(name).data.insertMany(List.of(obj));
            if (!r.errors().isEmpty()) {
                throw new StoreOperationException(Store.VECTOR, "upsert", "REJECTED",
                        "object " + object.id() + " in " + name + ": " + r.errors().get(0), null);
            }
            return null;
        });
    }

    @Override
    public BatchResult upsertAll(String collection, List<VectorObject> objects) {
        String name = Names.collection(collection);
        Objects.requireNonNull(objects, "objects");
        List<WeaviateObject<Map<String, Object>>> all = new ArrayList<>(objects.size());
        for (VectorObject o : objects) {
            all.add(toWeaviate(requireVector(o)));
        }
        List<String> stored = new ArrayList<>(objects.size());
        Map<String, String> failures = new LinkedHashMap<>();
        for (int from = 0; from < all.size(); from += batchSize) {
            List<WeaviateObject<Map<String, Object>>> chunk = all.subList(from, Math.min(all.size(), from + batchSize));
            InsertManyResponse r = executor.call("upsertAll", true,
                    () -> connection.collection(name).data.insertMany(chunk));
            for (InsertManyResponse.InsertObject o : r.responses()) {
                if (o.successful()) {
                    stored.add(o.uuid());
                } else {
                    failures.put(o.uuid(), o.error());
                }
            }
        }
        return new BatchResult(stored, failures);
    }

    private static VectorObject requireVector(VectorObject o) {
        Objects.requireNonNull(o, "object");
        if (o.vector() == null || o.vector().length == 0) {
            throw new IllegalArgumentException("object " + o.id() + " has no vector; the vector client stores"
                    + " caller-computed vectors only");
        }
        return o;
    }

    static WeaviateObject<Map<String, Object>> toWeaviate(VectorObject o) {
        Map<String, Object> props = PropertyValues.normalize(o.id(), o.properties());
        float[] vector = o.vector();
        return WeaviateObject.<Map<String, Object>>of(b -> b.uuid(o.id()).properties(props)
                .vectors(Vectors.of(VECTOR_NAME, vector)));
    }

    @Override
    public List<VectorMatch> search(String collection, VectorQuery query) {
        String name = Names.collection(collection);
        Objects.requireNonNull(query, "query");
        if (query.kind() == VectorQuery.Kind.HYBRID) {
            Hybrid hybrid = toHybrid(query);
            return executor.call("search.hybrid", true,
                    () -> matches(connection.collection(name).query.hybrid(hybrid), query.includeVector()));
        }
        NearVector near = toNearVector(query);
        return executor.call("search.nearVector", true,
                () -> matches(connection.collection(name).query.nearVector(near), query.includeVector()));
    }

    /** The near-vector request for a query (built outside the timed call). */
    static NearVector toNearVector(VectorQuery q) {
        return NearVector.of(q.vector(), b -> {
            b.limit(q.limit()).returnMetadata(Metadata.DISTANCE);
            if (q.filter() != null) {
                b.filters(FilterMapping.toWeaviate(q.filter()));
            }
            if (q.maxDistance() != null) {
                b.distance(q.maxDistance());
            }
            if (!q.returnProperties().isEmpty()) {
                b.returnProperties(q.returnProperties());
            }
            if (q.includeVector()) {
                b.includeVector(VECTOR_NAME);
            }
            return b;
        });
    }

    /** The hybrid request for a query: BM25 on the text fused with a near-vector on the caller's vector. */
    static Hybrid toHybrid(VectorQuery q) {
        return Hybrid.of(q.text(), b -> {
            b.alpha(q.alpha()).nearVector(NearVector.of(q.vector()))
                    .limit(q.limit()).returnMetadata(Metadata.SCORE);
            if (q.filter() != null) {
                b.filters(FilterMapping.toWeaviate(q.filter()));
            }
            if (!q.returnProperties().isEmpty()) {
                b.returnProperties(q.returnProperties());
            }
            if (q.includeVector()) {
                b.includeVector(VECTOR_NAME);
            }
            return b;
        });
    }

    private static List<VectorMatch> matches(QueryResponse<Map<String, Object>> r, boolean withVector) {
        List<VectorMatch> out = new ArrayList<>(r.objects().size());
        for (WeaviateObject<Map<String, Object>> o : r.objects()) {
            Float distance = o.queryMetadata() == null ? null : o.queryMetadata().distance();
            Float score = o.queryMetadata() == null ? null : o.queryMetadata().score();
            float[] vector = withVector && o.vectors() != null ? o.vectors().getSingle(VECTOR_NAME) : null;
            out.add(new VectorMatch(o.uuid(), o.properties() == null ? Map.of() : o.properties(), distance, score,
                    vector));
        }
        return out;
    }

    @Override
    public Optional<VectorObject> get(String collection, String id) {
        String name = Names.collection(collection);
        String uuid = Names.objectId(id);
        return executor.call("get", true, () -> connection.collection(name).query
                .fetchObjectById(uuid, b -> b.includeVector(VECTOR_NAME))
                .map(o -> new VectorObject(o.uuid(), o.properties(),
                        o.vectors() == null ? null : o.vectors().getSingle(VECTOR_NAME))));
    }

    @Override
    public boolean delete(String collection, String id) {
        String name = Names.collection(collection);
        String uuid = Names.objectId(id);
        return executor.call("delete", true, () -> connection.collection(name).data.deleteById(uuid));
    }

    @Override
    public <R> R execute(String operation, boolean idempotent, NativeCall<WeaviateClient, R> call) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        // the client is opened inside the call, so a Weaviate that cannot be reached counts like any other failure
        return executor.call(operation, idempotent, () -> call.call(connection.client()));
    }
}
