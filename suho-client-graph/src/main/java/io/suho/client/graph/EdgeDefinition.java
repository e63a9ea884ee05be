package io.suho.client.graph;

import io.suho.client.graph.internal.Identifiers;
import java.util.List;
import java.util.Objects;

/**
 * One edge collection of a named graph and the vertex collections its edges may connect.
 *
 * @param edgeCollection the edge collection
 * @param from vertex collections edges start in
 * @param to vertex collections edges end in
 */
public record EdgeDefinition(String edgeCollection, List<String> from, List<String> to) {

    public EdgeDefinition {
        Identifiers.collection(edgeCollection);
        from = names("from", from);
        to = names("to", to);
    }

    /** An edge definition where edges connect documents of the same collection(s) both ways. */
    public static EdgeDefinition between(String edgeCollection, String... vertexCollections) {
        List<String> v = List.of(vertexCollections);
        return new EdgeDefinition(edgeCollection, v, v);
    }

    private static List<String> names(String what, List<String> names) {
        Objects.requireNonNull(names, what);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("edge definition needs at least one '" + what + "' collection");
        }
        names.forEach(Identifiers::collection);
        return List.copyOf(names);
    }
}
