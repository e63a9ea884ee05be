package io.suho.client.graph;

import io.suho.client.graph.internal.Identifiers;
import java.util.Objects;

/**
 * A k-hop traversal over a named graph: from one start vertex, in one direction, between a minimum and maximum
 * depth, each vertex returned once (breadth-first, global uniqueness), at most {@link #limit()} of them. Immutable.
 *
 * <pre>{@code
 * // traders within two hops of alice, whichever way the trade went
 * List<Trader> network = graph.traverse(
 *         Traversal.from("trading_network", "traders/alice").direction(Direction.ANY).depth(1, 2), Trader.class);
 * }</pre>
 */
public final class Traversal {
    /** Largest allowed maximum depth; deeper walks over a dense trade graph explode. */
    public static final int MAX_DEPTH = 10;

    private final String graph;
    private final String startId;
    private final Direction direction;
    private final int minDepth;
    private final int maxDepth;
    private final int limit;

    private Traversal(String graph, String startId, Direction direction, int minDepth, int maxDepth, int limit) {
        this.graph = graph;
        this.startId = startId;
        this.direction = direction;
        this.minDepth = minDepth;
        this.maxDepth = maxDepth;
        this.limit = limit;
    }

    /** Outbound, depth 1..1, limit 1000. */
    public static Traversal from(String graph, String startId) {
        return new Traversal(Identifiers.graph(graph), Identifiers.documentId(startId), Direction.OUTBOUND, 1, 1,
                1000);
    }

    public Traversal direction(Direction direction) {
        return new Traversal(graph, startId, Objects.requireNonNull(direction, "direction"), minDepth, maxDepth, limit);
    }

    /** Depth range, {@code 0 <= min <= max <= MAX_DEPTH}; depth 0 includes the start vertex. */
    public Traversal depth(int min, int max) {
        if (min < 0 || max < min || max > MAX_DEPTH) {
            throw new IllegalArgumentException("traversal depth " + min + ".." + max + " is invalid; need 0 <= min <= max"
                    + " <= " + MAX_DEPTH);
        }
        return new Traversal(graph, startId, direction, min, max, limit);
    }

    /** At most this many vertices (1..100000). */
    public Traversal limit(int limit) {
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("traversal limit " + limit + " is outside 1..100000");
        }
        return new Traversal(graph, startId, direction, minDepth, maxDepth, limit);
    }

    public String graph() {
        return graph;
    }

    public String startId() {
        return startId;
    }

    public Direction direction() {
        return direction;
    }

    public int minDepth() {
        return minDepth;
    }

    public int maxDepth() {
        return maxDepth;
    }

    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "Traversal{" + graph + " from " + startId + " " + direction + " " + minDepth + ".." + maxDepth
                + " limit " + limit + "}";
    }
}
