package io.suho.client.graph;

import io.suho.client.graph.internal.Identifiers;
import java.util.List;

/**
 * A named graph declared from code, e.g. the trading network: {@code traders} connected by {@code trades_with}.
 *
 * @param name graph name
 * @param edges its edge definitions (at least one)
 */
public record GraphDefinition(String name, List<EdgeDefinition> edges) {

    public GraphDefinition {
        Identifiers.graph(name);
        if (edges == null || edges.isEmpty()) {
            throw new IllegalArgumentException("graph " + name + " needs at least one edge definition");
        }
        edges = List.copyOf(edges);
    }

    public static GraphDefinition of(String name, EdgeDefinition... edges) {
        return new GraphDefinition(name, List.of(edges));
    }
}
