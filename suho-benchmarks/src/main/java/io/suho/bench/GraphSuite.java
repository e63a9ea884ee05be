package io.suho.bench;

import com.arangodb.ArangoCollection;
import com.arangodb.ArangoDB;
import com.arangodb.ArangoDatabase;
import com.arangodb.Protocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.client.graph.AqlQuery;
import io.suho.client.graph.Direction;
import io.suho.client.graph.EdgeDefinition;
import io.suho.client.graph.GraphClient;
import io.suho.client.graph.GraphDefinition;
import io.suho.client.graph.Traversal;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code --store graph}: the graph client against the raw ArangoDB driver on the same server with the same protocol
 * (HTTP/2 JSON) and timeout, in a throw-away database holding a ring of {@code --traders} (default 1000) traders
 * where each trades with the next two. Needs an ArangoDB: {@code SUHO_ARANGO_URL} or Docker. Operations:
 * {@code get_document}, {@code aql_bind_lookup} (bind-variable lookup by key), {@code traverse_2hop}.
 */
public final class GraphSuite implements BenchmarkSuite {
    private SuhoClients suho;
    private ArangoDB raw;
    private String database;

    @Override
    public String store() {
        return "graph";
    }

    @Override
    public List<BenchOperation> setUp(BenchContext ctx) throws Exception {
        StoreResolver.Resolution r = StoreResolver.resolve(StoreKind.ARANGO);
        if (!r.available()) {
            throw new IllegalStateException("no ArangoDB server: " + r.reason());
        }
        StoreServer server = r.server();
        int traders = Integer.parseInt(ctx.arg("traders", "1000"));
        database = "suho_bench_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        suho = server.configure(SuhoClients.builder().serviceName("bench"))
                .environment(Map.of())
                .database(Store.GRAPH, database)
                .meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(Files.createTempDirectory("bench-graph").resolve("endpoints.json"))
                .set("suho.graph.timeout", "2s")
                .build();
        GraphClient graph = suho.get(GraphClient.class);
        graph.ensureDatabase();
        graph.ensureCollection("traders");
        graph.ensureEdgeCollection("trades_with");
        graph.ensureGraph(GraphDefinition.of("network", EdgeDefinition.between("trades_with", "traders")));

        raw = new ArangoDB.Builder().host(server.host(), server.port()).protocol(Protocol.HTTP2_JSON).timeout(2000)
                .user(server.user() == null ? "root" : server.user()).password(server.password()).build();
        ArangoDatabase db = raw.db(database);
        ArangoCollection tradersRaw = db.collection("traders");
        List<Map<String, Object>> docs = new ArrayList<>(traders);
        List<Map<String, Object>> edges = new ArrayList<>(traders * 2);
        for (int i = 0; i < traders; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("_key", "t" + i);
            d.put("name", "Trader " + i);
            d.put("desk", i % 2 == 0 ? "fx" : "rates");
            docs.add(d);
            for (int k = 1; k <= 2; k++) {
                edges.add(Map.of("_from", "traders/t" + i, "_to", "traders/t" + ((i + k) % traders),
                        "symbol", "S" + (i % 20)));
            }
        }
        tradersRaw.insertDocuments(docs);
        db.collection("trades_with").insertDocuments(edges);

        String key = "t" + (traders / 2);
        AqlQuery lookup = AqlQuery.of("FOR t IN @@c FILTER t._key == @k RETURN t");
        Map<String, Object> lookupBind = Map.of("@c", "traders", "k", key);
        Traversal twoHop = Traversal.from("network", "traders/" + key).direction(Direction.OUTBOUND).depth(1, 2);
        String rawTraverse = "FOR v IN @minDepth..@maxDepth OUTBOUND @start GRAPH @graph"
                + " OPTIONS {order: \"bfs\", uniqueVertices: \"global\"} LIMIT @limit RETURN v";
        Map<String, Object> traverseBind = Map.of("minDepth", 1, "maxDepth", 2, "start", "traders/" + key,
                "graph", "network", "limit", 1000);

        List<BenchOperation> ops = new ArrayList<>();
        ops.add(BenchOperation.of("get_document", () -> graph.get("traders", key, Map.class).orElseThrow(),
                () -> {
                    if (tradersRaw.getDocument(key, Map.class) == null) {
                        throw new IllegalStateException("missing " + key);
                    }
                }));
        ops.add(BenchOperation.of("aql_bind_lookup", () -> graph.query(lookup, lookupBind, Map.class),
                () -> db.query(lookup.text(), Map.class, lookupBind).asListRemaining()));
        ops.add(BenchOperation.of("traverse_2hop", () -> graph.traverse(twoHop, Map.class),
                () -> db.query(rawTraverse, Map.class, traverseBind).asListRemaining()));
        return ops;
    }

    @Override
    public void close() throws Exception {
        try {
            if (raw != null && database != null) {
                raw.db(database).drop();
            }
        } finally {
            if (raw != null) {
                raw.shutdown();
            }
            if (suho != null) {
                suho.close();
            }
        }
    }
}
