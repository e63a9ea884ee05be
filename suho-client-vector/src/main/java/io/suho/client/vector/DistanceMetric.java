package io.suho.client.vector;

/** How a collection's vector index measures distance; fixed when the collection is created. */
public enum DistanceMetric {
    COSINE,
    DOT,
    L2_SQUARED,
    MANHATTAN,
    HAMMING
}
