package io.suho.client.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the graph client against a real ArangoDB (3.11+) from {@code SUHO_ARANGO_URL}
 * ({@code http://root:pw@host:8529}) or Testcontainers; without one every test is skipped with the reason printed.
 * It works in a throw-away database ({@code suho_it_<random>}) dropped at the end.
 *
 * <p>The server is resolved in {@code @BeforeAll} rather than through a {@code @RealStore} parameter: an abort thrown
 * while JUnit resolves a parameter is reported as an error, not a skip.
 */
class ArangoIT {
    private static StoreServer server;
    private static final String DB = "suho_it_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    private static final GraphDefinition NETWORK = GraphDefinition.of("trading_network",
            EdgeDefinition.between("trades_with", "traders"));

    @TempDir
    static Path dir;

    /** A trader vertex as the application types it. */
    public record Trader(@JsonProperty("_key") String key, String name, String desk) {
    }

    /** A trade edge's attributes. */
    public record Trade(String symbol, double qty) {
    }

    @BeforeAll
    static void resolve() {
        server = RealStoreExtension.require(StoreKind.ARANGO, "ArangoIT");
    }

    @AfterAll
    static void dropDatabase() {
        if (server != null) {
            // the SDK cannot drop databases on purpose; the raw driver does it
            try {
                com.arangodb.ArangoDB raw = new com.arangodb.ArangoDB.Builder().host(server.host(), server.port())
                        .user(server.user() == null ? "root" : server.user()).password(server.password()).build();
                try {
                    raw.db(DB).drop();
                } finally {
                    raw.shutdown();
                }
            } catch (RuntimeException e) {
                System.err.println("ArangoIT: could not drop " + DB + ": " + e);
            }
        }
    }

    private static SuhoClients suho(String service) {
        return suho(service, new SimpleMeterRegistry());
    }

    private static SuhoClients suho(String service, SimpleMeterRegistry registry) {
        return server.configure(SuhoClients.builder().serviceName(service))
                .database(Store.GRAPH, DB)
                .endpointCacheFile(dir.resolve(service + ".json"))
                .meterRegistry(registry)
                .set("suho.graph.timeout", "5s")
                .build();
    }

    private static GraphClient provisioned(SuhoClients suho) {
        GraphClient graph = suho.get(GraphClient.class);
        graph.ensureDatabase();
        graph.ensureCollection("traders");
        graph.ensureEdgeCollection("trades_with");
        graph.ensureGraph(NETWORK);
        return graph;
    }

    @Test
    void provisioningIsIdempotentAndRefusesConflicts() {
        try (SuhoClients suho = suho("graph-it")) {
            GraphClient graph = provisioned(suho);
            provisioned(suho);
            assertThatThrownBy(() -> graph.ensureEdgeCollection("traders"))
                    .isInstanceOfSatisfying(StoreOperationException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("TYPE_MISMATCH"));
            assertThatThrownBy(() -> graph.ensureGraph(GraphDefinition.of("trading_network",
                    new EdgeDefinition("trades_with", List.of("traders"), List.of("funds")))))
                    .hasMessageContaining("GRAPH_MISMATCH");
        }
    }

    @Test
    void typedDocumentsRoundTrip() {
        try (SuhoClients suho = suho("graph-it")) {
            GraphClient graph = provisioned(suho);
            String key = "t" + UUID.randomUUID().toString().substring(0, 8);
            DocumentMeta m = graph.insert("traders", new Trader(key, "Ann", "fx"));
            assertThat(m.id()).isEqualTo("traders/" + key);
            assertThat(graph.get("traders", key, Trader.class)).contains(new Trader(key, "Ann", "fx"));
            assertThatThrownBy(() -> graph.insert("traders", new Trader(key, "Dup", "fx")))
                    .isInstanceOfSatisfying(DuplicateKeyException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("1210"));
            graph.update("traders", key, Map.of("desk", "rates"));
            assertThat(graph.get("traders", key, Trader.class).orElseThrow().desk()).isEqualTo("rates");
            graph.replace("traders", key, new Trader(key, "Ann B", "equities"));
            assertThat(graph.get("traders", key, Trader.class).orElseThrow().name()).isEqualTo("Ann B");
            assertThat(graph.delete("traders", key)).isTrue();
            assertThat(graph.delete("traders", key)).isFalse();
            assertThat(graph.get("traders", key, Trader.class)).isEmpty();
        }
    }

    @Test
    void whoTradesWithWhom() {
        try (SuhoClients suho = suho("graph-it")) {
            GraphClient graph = provisioned(suho);
            String p = "n" + UUID.randomUUID().toString().substring(0, 6) + "_";
            for (String t : List.of("a", "b", "c", "d")) {
                graph.insert("traders", new Trader(p + t, t.toUpperCase(Locale.ROOT), "fx"));
            }
            graph.insertEdge("trades_with", "traders/" + p + "a", "traders/" + p + "b", new Trade("AAPL", 10));
            graph.insertEdge("trades_with", "traders/" + p + "b", "traders/" + p + "c", new Trade("MSFT", 5));
            graph.insertEdge("trades_with", "traders/" + p + "c", "traders/" + p + "d", new Trade("TSLA", 1));

            List<Trader> oneHop = graph.traverse(Traversal.from("trading_network", "traders/" + p + "a"), Trader.class);
            assertThat(oneHop).extracting(Trader::key).containsExactly(p + "b");
            List<Trader> twoHops = graph.traverse(Traversal.from("trading_network", "traders/" + p + "c")
                    .direction(Direction.ANY).depth(1, 2), Trader.class);
            assertThat(twoHops).extracting(Trader::key).containsExactlyInAnyOrder(p + "a", p + "b", p + "d");

            List<Trader> path = graph.shortestPath("trading_network", "traders/" + p + "a", "traders/" + p + "d",
                    Direction.OUTBOUND, Trader.class);
            assertThat(path).extracting(Trader::key).containsExactly(p + "a", p + "b", p + "c", p + "d");
            assertThat(graph.shortestPath("trading_network", "traders/" + p + "d", "traders/" + p + "a",
                    Direction.OUTBOUND, Trader.class)).isEmpty();

            AqlQuery partners = AqlQuery.of("FOR e IN @@edges FILTER e._from == @from RETURN e.symbol");
            assertThat(graph.query(partners, Map.of("@edges", "trades_with", "from", "traders/" + p + "a"),
                    String.class)).containsExactly("AAPL");
        }
    }

    @Test
    void streamsLargeResultsInBatches() {
        try (SuhoClients suho = server.configure(SuhoClients.builder().serviceName("graph-it-stream"))
                .database(Store.GRAPH, DB).endpointCacheFile(dir.resolve("stream.json"))
                .meterRegistry(new SimpleMeterRegistry()).set("suho.graph.cursor.batch-size", "100").build()) {
            GraphClient graph = provisioned(suho);
            AqlQuery range = AqlQuery.of("FOR i IN 1..@n RETURN i");
            List<Integer> seen = new ArrayList<>();
            try (GraphCursor<Integer> cursor = graph.stream(range, Map.of("n", 2500), Integer.class)) {
                cursor.forEachRemaining(seen::add);
            }
            assertThat(seen).hasSize(2500).startsWith(1, 2, 3).endsWith(2500);
            try (GraphCursor<Integer> early = graph.stream(range, Map.of("n", 2500), Integer.class)) {
                assertThat(early.next()).isEqualTo(1);
            }
        }
    }

    @Test
    void executeRunsANativeCallCountedUnderItsOperation() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = suho("graph-it-execute", registry)) {
            GraphClient graph = provisioned(suho);
            String key = "x" + UUID.randomUUID().toString().substring(0, 8);
            graph.insert("traders", new Trader(key, "Exe", "fx"));
            long traders = graph.execute("traders.count", true, db -> db.collection("traders").count().getCount());
            assertThat(traders).isPositive();
            assertThat(registry.find("suho.client.requests").tags("store", "graph", "operation", "traders.count",
                    "outcome", "success").timer().count()).isEqualTo(1);
            assertThat(new TraderAdmin(graph).indexByDesk()).isNotBlank();
            assertThatThrownBy(() -> graph.execute("traders.insert", false,
                    db -> db.collection("traders").insertDocument(new Trader(key, "Dup", "fx"))))
                    .isInstanceOfSatisfying(DuplicateKeyException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("1210"));
        }
    }

    @Test
    void executeIsRejectedWithoutRunningWhileTheBreakerIsOpen() {
        // real refused connections open the breaker; the next call does no I/O and never runs the lambda
        try (SuhoClients suho = SuhoClients.builder().serviceName("graph-it-breaker")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("refused.json")).meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.GRAPH, "127.0.0.1:1")
                .set("suho.graph.retry.max-retries", "0").set("suho.graph.breaker.failure-threshold", "2")
                .set("suho.graph.breaker.window", "2").set("suho.graph.breaker.delay", "1m").build()) {
            GraphClient graph = suho.get(GraphClient.class);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> graph.execute("server.version", true, db -> {
                    ran.incrementAndGet();
                    return db.getVersion();
                })).isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isFalse());
            }
            assertThatThrownBy(() -> graph.execute("server.version", true, db -> {
                ran.incrementAndGet();
                return db.getVersion();
            })).isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isTrue());
            assertThat(ran).hasValue(2);
        }
    }

    @Test
    void healthReadsTheServerVersion() {
        try (SuhoClients suho = suho("graph-it")) {
            suho.get(GraphClient.class);
            assertThat(suho.health(Store.GRAPH).status()).isEqualTo(HealthStatus.UP);
            assertThat(suho.health(Store.GRAPH).detail()).containsKey("version");
        }
    }
}
