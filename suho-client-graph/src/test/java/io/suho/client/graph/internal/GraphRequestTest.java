package io.suho.client.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.graph.Direction;
import io.suho.client.graph.EdgeDefinition;
import io.suho.client.graph.GraphDefinition;
import io.suho.client.graph.Traversal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks the requests the graph client builds (AQL templates, bind variables, edges, graph definitions). */
class GraphRequestTest {
    private final ObjectMapper mapper = JacksonDocumentSerde.defaultMapper();

    record Trade(String symbol, double qty, Instant at) {
    }

    @Test
    void traversalTemplatesBindEveryValueAndOnlyVaryTheDirectionKeyword() {
        for (Direction d : Direction.values()) {
            String aql = ArangoGraphClient.traversalAql(d);
            assertThat(aql).contains(" " + d.name() + " @start GRAPH @graph").contains("@minDepth..@maxDepth")
                    .contains("LIMIT @limit");
        }
        assertThat(ArangoGraphClient.shortestPathAql(Direction.ANY))
                .isEqualTo("FOR v IN ANY SHORTEST_PATH @from TO @to GRAPH @graph RETURN v");
    }

    @Test
    void traversalValuesTravelAsBindVariables() {
        Traversal t = Traversal.from("trading_network", "traders/alice").direction(Direction.ANY).depth(1, 3)
                .limit(50);
        assertThat(ArangoGraphClient.traversalBindVars(t)).containsOnly(
                Map.entry("minDepth", 1), Map.entry("maxDepth", 3), Map.entry("start", "traders/alice"),
                Map.entry("graph", "trading_network"), Map.entry("limit", 50));
    }

    @Test
    void traversalBoundsAreChecked() {
        Traversal t = Traversal.from("g", "traders/alice");
        assertThatThrownBy(() -> t.depth(2, 1)).hasMessageContaining("2..1");
        assertThatThrownBy(() -> t.depth(0, Traversal.MAX_DEPTH + 1)).hasMessageContaining("<= 10");
        assertThatThrownBy(() -> t.limit(0)).hasMessageContaining("limit 0");
        assertThatThrownBy(() -> Traversal.from("g", "alice")).hasMessageContaining("not collection/key");
    }

    @Test
    void edgesCarryAttributesAndEndpoints() {
        Map<String, Object> edge = ArangoGraphClient.edgeDocument(mapper, "traders/alice", "traders/bob",
                new Trade("AAPL", 10.5, Instant.parse("2026-01-02T10:00:00Z")));
        assertThat(edge).containsEntry("_from", "traders/alice").containsEntry("_to", "traders/bob")
                .containsEntry("symbol", "AAPL").containsEntry("qty", 10.5)
                .containsEntry("at", "2026-01-02T10:00:00Z");
        assertThat(ArangoGraphClient.edgeDocument(mapper, "traders/a", "traders/b", null))
                .containsOnlyKeys("_from", "_to");
        assertThatThrownBy(() -> ArangoGraphClient.edgeDocument(mapper, "traders/a", "traders/b", "text"))
                .hasMessageContaining("do not map to a JSON object");
        assertThatThrownBy(() -> ArangoGraphClient.edgeDocument(mapper, "alice", "traders/b", null))
                .hasMessageContaining("collection/key");
    }

    @Test
    void graphDefinitionsCompareAsSets() {
        GraphDefinition g = GraphDefinition.of("trading_network", EdgeDefinition.between("trades_with", "traders"));
        List<com.arangodb.entity.EdgeDefinition> same = ArangoGraphClient.toDriver(g.edges());
        assertThat(ArangoGraphClient.difference(g, same)).isNull();
        List<com.arangodb.entity.EdgeDefinition> other = ArangoGraphClient.toDriver(List.of(
                new EdgeDefinition("trades_with", List.of("traders"), List.of("funds"))));
        assertThat(ArangoGraphClient.difference(g, other)).contains("trades_with: declared [traders] -> [traders]")
                .contains("server has [traders] -> [funds]");
    }

    @Test
    void graphDefinitionsValidateNames() {
        assertThatThrownBy(() -> GraphDefinition.of("g")).hasMessageContaining("at least one edge definition");
        assertThatThrownBy(() -> EdgeDefinition.between("_graphs", "traders")).hasMessageContaining("collection name");
    }

    @Test
    void documentsRoundTripThroughTheJacksonSerde() {
        JacksonDocumentSerde serde = new JacksonDocumentSerde(mapper);
        Trade t = new Trade("MSFT", 3, Instant.parse("2026-01-02T10:00:00Z"));
        byte[] json = serde.serialize(t);
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).contains("\"at\":\"2026-01-02T10:00:00Z\"");
        // server attributes such as _id and _rev are ignored on read
        byte[] stored = "{\"_id\":\"t/1\",\"_rev\":\"x\",\"symbol\":\"MSFT\",\"qty\":3.0,\"at\":\"2026-01-02T10:00:00Z\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(serde.deserialize(stored, Trade.class)).isEqualTo(t);
        assertThatThrownBy(() -> serde.deserialize("[1]".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Trade.class)).isInstanceOf(DocumentMappingException.class).hasMessageContaining(Trade.class.getName());
        assertThatThrownBy(() -> serde.deserialize("<html>".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Trade.class)).isInstanceOf(MalformedResponseException.class);
    }
}
