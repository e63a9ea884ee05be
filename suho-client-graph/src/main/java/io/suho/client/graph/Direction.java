package io.suho.client.graph;

/** Which edges a traversal follows from a vertex. */
public enum Direction {
    /** Edges whose {@code _from} is the vertex. */
    OUTBOUND,
    /** Edges whose {@code _to} is the vertex. */
    INBOUND,
    /** Both. */
    ANY
}
