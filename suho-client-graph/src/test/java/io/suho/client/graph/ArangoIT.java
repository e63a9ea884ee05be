package io.suho.client.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
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
        return server.configure(SuhoClients.builder().serviceName(service))
                .database(Store.GRAPH, DB)
                .endpointCacheFile(dir.resolve(service + ".json"))
                .meterRegistry(new SimpleMeterRegistry())
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
                    .isInstanceOfSatisfying(StoreOperationException.class,
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
    void healthReadsTheServerVersion() {
        try (SuhoClients suho = suho("graph-it")) {
            suho.get(GraphClient.class);
            assertThat(suho.health(Store.GRAPH).status()).isEqualTo(HealthStatus.UP);
            assertThat(suho.health(Store.GRAPH).detail()).containsKey("version");
        }
    }
}
