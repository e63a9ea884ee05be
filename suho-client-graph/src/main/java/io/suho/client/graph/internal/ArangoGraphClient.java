package io.suho.client.graph.internal;

import com.arangodb.ArangoCollection;
import com.arangodb.ArangoCursor;
import com.arangodb.ArangoDB;
import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDatabase;
import com.arangodb.ArangoGraph;
import com.arangodb.entity.CollectionType;
import com.arangodb.entity.DocumentEntity;
import com.arangodb.model.AqlQueryOptions;
import com.arangodb.model.CollectionCreateOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.NativeCall;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.graph.AqlQuery;
import io.suho.client.graph.Direction;
import io.suho.client.graph.DocumentMeta;
import io.suho.client.graph.EdgeDefinition;
import io.suho.client.graph.GraphClient;
import io.suho.client.graph.GraphCursor;
import io.suho.client.graph.GraphDefinition;
import io.suho.client.graph.Traversal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link GraphClient} over the ArangoDB Java driver. Names are validated before any request; every operation runs
 * through the graph store's {@link StoreExecutor}. The traversal and shortest-path queries are fixed templates of
 * this class (direction is a keyword AQL cannot bind), with every value bound.
 */
public final class ArangoGraphClient implements GraphClient {
    // ArangoDB error numbers this client reacts to
    static final int DOCUMENT_NOT_FOUND = 1202;
    static final int DUPLICATE_NAME = 1207;
    static final int GRAPH_DUPLICATE = 1925;

    private static final Map<Direction, String> TRAVERSE = templates(
            "FOR v IN @minDepth..@maxDepth %s @start GRAPH @graph"
                    + " OPTIONS {order: \"bfs\", uniqueVertices: \"global\"} LIMIT @limit RETURN v");
    private static final Map<Direction, String> SHORTEST = templates(
            "FOR v IN %s SHORTEST_PATH @from TO @to GRAPH @graph RETURN v");

    private final ArangoDB arango;
    private final ArangoDatabase db;
    private final StoreExecutor executor;
    private final ObjectMapper mapper;
    private final ArangoSettings settings;

    public ArangoGraphClient(ArangoDB arango, ArangoSettings settings, StoreExecutor executor, ObjectMapper mapper) {
        this.arango = arango;
        this.db = arango.db(settings.database());
        this.settings = settings;
        this.executor = executor;
        this.mapper = mapper;
    }

    private static Map<Direction, String> templates(String format) {
        Map<Direction, String> m = new java.util.EnumMap<>(Direction.class);
        for (Direction d : Direction.values()) {
            m.put(d, String.format(format, d.name()));
        }
        return m;
    }

    /** The traversal AQL for a direction (a constant per direction). */
    static String traversalAql(Direction d) {
        return TRAVERSE.get(d);
    }

    /** The shortest-path AQL for a direction (a constant per direction). */
    static String shortestPathAql(Direction d) {
        return SHORTEST.get(d);
    }

    // ---- provisioning -------------------------------------------------------------------------------------------

    @Override
    public void ensureDatabase() {
        executor.run("ensureDatabase", true, () -> {
            if (!db.exists()) {
                try {
                    arango.createDatabase(settings.database());
                } catch (ArangoDBException e) {
                    if (!Objects.equals(e.getErrorNum(), DUPLICATE_NAME)) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void ensureCollection(String name) {
        ensure(Identifiers.collection(name), CollectionType.DOCUMENT, "ensureCollection");
    }

    @Override
    public void ensureEdgeCollection(String name) {
        ensure(Identifiers.collection(name), CollectionType.EDGES, "ensureEdgeCollection");
    }

    private void ensure(String name, CollectionType type, String operation) {
        executor.run(operation, true, () -> {
            ArangoCollection c = db.collection(name);
            if (!c.exists()) {
                try {
                    db.createCollection(name, new CollectionCreateOptions().type(type));
                    return null;
                } catch (ArangoDBException e) {
                    if (!Objects.equals(e.getErrorNum(), DUPLICATE_NAME)) {
                        throw e;
                    }
                }
            }
            CollectionType actual = c.getInfo().getType();
            if (actual != type) {
                throw new StoreOperationException(io.suho.client.core.Store.GRAPH, operation, "TYPE_MISMATCH",
                        "collection " + name + " exists as " + actual + ", not " + type, null);
            }
            return null;
        });
    }

    @Override
    public void ensureGraph(GraphDefinition graph) {
        Objects.requireNonNull(graph, "graph");
        List<com.arangodb.entity.EdgeDefinition> defs = toDriver(graph.edges());
        executor.run("ensureGraph", true, () -> {
            ArangoGraph g = db.graph(graph.name());
            if (!g.exists()) {
                try {
                    db.createGraph(graph.name(), defs);
                    return null;
                } catch (ArangoDBException e) {
                    if (!Objects.equals(e.getErrorNum(), GRAPH_DUPLICATE)
                            && !Objects.equals(e.getErrorNum(), DUPLICATE_NAME)) {
                        throw e;
                    }
                }
            }
            String diff = difference(graph, g.getInfo().getEdgeDefinitions());
            if (diff != null) {
                throw new StoreOperationException(io.suho.client.core.Store.GRAPH, "ensureGraph", "GRAPH_MISMATCH",
                        "graph " + graph.name() + " exists with other edge definitions: " + diff, null);
            }
            return null;
        });
    }

    static List<com.arangodb.entity.EdgeDefinition> toDriver(List<EdgeDefinition> edges) {
        List<com.arangodb.entity.EdgeDefinition> out = new ArrayList<>(edges.size());
        for (EdgeDefinition e : edges) {
            out.add(new com.arangodb.entity.EdgeDefinition().collection(e.edgeCollection())
                    .from(e.from().toArray(String[]::new)).to(e.to().toArray(String[]::new)));
        }
        return out;
    }

    /** Null when the server's edge definitions equal the declared ones (as sets), else what differs. */
    static String difference(GraphDefinition declared, Collection<com.arangodb.entity.EdgeDefinition> actual) {
        Map<String, String> want = new LinkedHashMap<>();
        for (EdgeDefinition e : declared.edges()) {
            want.put(e.edgeCollection(), new TreeSet<>(e.from()) + " -> " + new TreeSet<>(e.to()));
        }
        Map<String, String> have = new LinkedHashMap<>();
        if (actual != null) {
            for (com.arangodb.entity.EdgeDefinition e : actual) {
                have.put(e.getCollection(), new TreeSet<>(e.getFrom()) + " -> " + new TreeSet<>(e.getTo()));
            }
        }
        if (want.equals(have)) {
            return null;
        }
        Set<String> names = new HashSet<>(want.keySet());
        names.addAll(have.keySet());
        StringBuilder sb = new StringBuilder();
        for (String n : new TreeSet<>(names)) {
            if (!Objects.equals(want.get(n), have.get(n))) {
                sb.append(sb.length() == 0 ? "" : "; ").append(n).append(": declared ")
                        .append(want.getOrDefault(n, "nothing")).append(", server has ")
                        .append(have.getOrDefault(n, "nothing"));
            }
        }
        return sb.toString();
    }

    // ---- documents ----------------------------------------------------------------------------------------------

    @Override
    public DocumentMeta insert(String collection, Object document) {
        ArangoCollection c = db.collection(Identifiers.collection(collection));
        Objects.requireNonNull(document, "document");
        return meta(executor.call("insert", false, () -> c.insertDocument(document)));
    }

    @Override
    public DocumentMeta replace(String collection, String key, Object document) {
        ArangoCollection c = db.collection(Identifiers.collection(collection));
        String k = Identifiers.key(key);
        Objects.requireNonNull(document, "document");
        return meta(executor.call("replace", true, () -> c.replaceDocument(k, document)));
    }

    @Override
    public DocumentMeta update(String collection, String key, Object partial) {
        ArangoCollection c = db.collection(Identifiers.collection(collection));
        String k = Identifiers.key(key);
        Objects.requireNonNull(partial, "partial");
        return meta(executor.call("update", true, () -> c.updateDocument(k, partial)));
    }

    @Override
    public boolean delete(String collection, String key) {
        ArangoCollection c = db.collection(Identifiers.collection(collection));
        String k = Identifiers.key(key);
        return executor.call("delete", true, () -> {
            try {
                c.deleteDocument(k);
                return true;
            } catch (ArangoDBException e) {
                if (Objects.equals(e.getErrorNum(), DOCUMENT_NOT_FOUND)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public <T> Optional<T> get(String collection, String key, Class<T> type) {
        ArangoCollection c = db.collection(Identifiers.collection(collection));
        String k = Identifiers.key(key);
        Objects.requireNonNull(type, "type");
        // the driver answers null for a missing document
        return Optional.ofNullable(executor.call("get", true, () -> c.getDocument(k, type)));
    }

    @Override
    public DocumentMeta insertEdge(String edgeCollection, String fromId, String toId, Object attributes) {
        ArangoCollection c = db.collection(Identifiers.collection(edgeCollection));
        Map<String, Object> edge = edgeDocument(mapper, fromId, toId, attributes);
        return meta(executor.call("insertEdge", false, () -> c.insertDocument(edge)));
    }

    /** The edge as a map: the attributes (mapped with Jackson) plus {@code _from} / {@code _to}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> edgeDocument(ObjectMapper mapper, String fromId, String toId, Object attributes) {
        Identifiers.documentId(fromId);
        Identifiers.documentId(toId);
        Map<String, Object> edge = new LinkedHashMap<>();
        if (attributes != null) {
            try {
                edge.putAll(mapper.convertValue(attributes, Map.class));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("edge attributes of type " + attributes.getClass().getName()
                        + " do not map to a JSON object: " + e.getMessage(), e);
            }
        }
        edge.put("_from", fromId);
        edge.put("_to", toId);
        return edge;
    }

    private static DocumentMeta meta(DocumentEntity e) {
        return new DocumentMeta(e.getKey(), e.getId(), e.getRev());
    }

    // ---- AQL ----------------------------------------------------------------------------------------------------

    @Override
    public <T> List<T> query(AqlQuery query, Map<String, ?> bindVars, Class<T> type) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(type, "type");
        Map<String, Object> bind = query.bind(bindVars);
        return executor.call("query", false, () -> all(query.text(), bind, type));
    }

    private <T> List<T> all(String aql, Map<String, Object> bind, Class<T> type) throws Exception {
        try (ArangoCursor<T> cursor = db.query(aql, type, bind, new AqlQueryOptions())) {
            return cursor.asListRemaining();
        }
    }

    @Override
    public <T> GraphCursor<T> stream(AqlQuery query, Map<String, ?> bindVars, Class<T> type) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(type, "type");
        Map<String, Object> bind = query.bind(bindVars);
        AqlQueryOptions options = new AqlQueryOptions().stream(true).batchSize(settings.cursorBatchSize())
                .ttl((int) Math.min(Integer.MAX_VALUE, settings.cursorTtl().toSeconds()));
        ArangoCursor<T> cursor = executor.call("stream", false, () -> db.query(query.text(), type, bind, options));
        return new StreamingCursor<>(cursor, executor, settings.cursorBatchSize());
    }

    @Override
    public <T> List<T> traverse(Traversal t, Class<T> vertexType) {
        Objects.requireNonNull(t, "traversal");
        Objects.requireNonNull(vertexType, "vertexType");
        Map<String, Object> bind = traversalBindVars(t);
        String aql = TRAVERSE.get(t.direction());
        return executor.call("traverse", true, () -> all(aql, bind, vertexType));
    }

    static Map<String, Object> traversalBindVars(Traversal t) {
        Map<String, Object> bind = new LinkedHashMap<>();
        bind.put("minDepth", t.minDepth());
        bind.put("maxDepth", t.maxDepth());
        bind.put("start", t.startId());
        bind.put("graph", t.graph());
        bind.put("limit", t.limit());
        return bind;
    }

    @Override
    public <T> List<T> shortestPath(String graph, String fromId, String toId, Direction direction,
            Class<T> vertexType) {
        Map<String, Object> bind = new LinkedHashMap<>();
        bind.put("from", Identifiers.documentId(fromId));
        bind.put("to", Identifiers.documentId(toId));
        bind.put("graph", Identifiers.graph(graph));
        String aql = SHORTEST.get(Objects.requireNonNull(direction, "direction"));
        Objects.requireNonNull(vertexType, "vertexType");
        return executor.call("shortestPath", true, () -> all(aql, bind, vertexType));
    }

    @Override
    public <R> R execute(String operation, boolean idempotent, NativeCall<ArangoDatabase, R> call) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        return executor.call(operation, idempotent, () -> call.call(db));
    }
}
