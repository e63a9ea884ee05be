package io.suho.client.vector;

import io.suho.client.vector.internal.Names;
import java.util.List;
import java.util.Objects;

/**
 * A search over one collection: near-vector ({@link #nearVector(float[])}) or hybrid BM25 + vector
 * ({@link #hybrid(String, float[])}), with an optional property filter, a result limit and, for near-vector, a
 * maximum distance. Built fluently; each setter returns a new query, so a base query can be shared. Immutable.
 *
 * <pre>{@code
 * List<VectorMatch> similar = vectors.search("TradingInsight",
 *         VectorQuery.nearVector(embedding).limit(5).filter(VectorFilter.eq("symbol", "AAPL")));
 * }</pre>
 */
public final class VectorQuery {
    /** Upper bound on {@link #limit(int)}; larger result sets should page with filters instead. */
    public static final int MAX_LIMIT = 10_000;

    /** The kind of search. */
    public enum Kind {
        NEAR_VECTOR, HYBRID
    }

    private final Kind kind;
    private final float[] vector;
    private final String text;
    private final int limit;
    private final VectorFilter filter;
    private final Float maxDistance;
    private final Float alpha;
    private final List<String> properties;
    private final boolean includeVector;

    private VectorQuery(Kind kind, float[] vector, String text, int limit, VectorFilter filter, Float maxDistance,
            Float alpha, List<String> properties, boolean includeVector) {
        this.kind = kind;
        this.vector = vector;
        this.text = text;
        this.limit = limit;
        this.filter = filter;
        this.maxDistance = maxDistance;
        this.alpha = alpha;
        this.properties = properties;
        this.includeVector = includeVector;
    }

    /** Objects nearest to {@code vector}; limit 10 unless set. */
    public static VectorQuery nearVector(float[] vector) {
        return new VectorQuery(Kind.NEAR_VECTOR, checkVector(vector), null, 10, null, null, null, List.of(), false);
    }

    /**
     * Hybrid search: BM25 keyword ranking on {@code text} fused with vector similarity to {@code vector}
     * ({@link #alpha(float)} weighs them: 0 = keywords only, 1 = vector only, default 0.5). Needs Weaviate 1.32+.
     */
    public static VectorQuery hybrid(String text, float[] vector) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("hybrid search text is blank");
        }
        return new VectorQuery(Kind.HYBRID, checkVector(vector), text, 10, null, null, 0.5f, List.of(), false);
    }

    private static float[] checkVector(float[] vector) {
        Objects.requireNonNull(vector, "vector");
        if (vector.length == 0) {
            throw new IllegalArgumentException("search vector is empty");
        }
        return vector.clone();
    }

    /** At most this many results (1..{@value #MAX_LIMIT}). */
    public VectorQuery limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is outside 1.." + MAX_LIMIT);
        }
        return new VectorQuery(kind, vector, text, limit, filter, maxDistance, alpha, properties, includeVector);
    }

    /** Only objects matching {@code filter}. */
    public VectorQuery filter(VectorFilter filter) {
        return new VectorQuery(kind, vector, text, limit, Objects.requireNonNull(filter, "filter"), maxDistance, alpha,
                properties, includeVector);
    }

    /** Near-vector only: drop results farther than this distance. */
    public VectorQuery maxDistance(float maxDistance) {
        if (kind != Kind.NEAR_VECTOR) {
            throw new IllegalStateException("maxDistance applies to near-vector search only");
        }
        if (!(maxDistance >= 0)) {
            throw new IllegalArgumentException("maxDistance must be 0 or more, was " + maxDistance);
        }
        return new VectorQuery(kind, vector, text, limit, filter, maxDistance, alpha, properties, includeVector);
    }

    /** Hybrid only: weight of the vector part, 0..1. */
    public VectorQuery alpha(float alpha) {
        if (kind != Kind.HYBRID) {
            throw new IllegalStateException("alpha applies to hybrid search only");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be within 0..1, was " + alpha);
        }
        return new VectorQuery(kind, vector, text, limit, filter, maxDistance, alpha, properties, includeVector);
    }

    /** Return only these properties (default: all). */
    public VectorQuery returnProperties(String... names) {
        List<String> p = java.util.Arrays.stream(names).map(Names::property).toList();
        return new VectorQuery(kind, vector, text, limit, filter, maxDistance, alpha, p, includeVector);
    }

    /** Also return each hit's stored vector. */
    public VectorQuery withVector() {
        return new VectorQuery(kind, vector, text, limit, filter, maxDistance, alpha, properties, true);
    }

    public Kind kind() {
        return kind;
    }

    public float[] vector() {
        return vector.clone();
    }

    /** The hybrid search text, or {@code null}. */
    public String text() {
        return text;
    }

    public int limit() {
        return limit;
    }

    /** The filter, or {@code null}. */
    public VectorFilter filter() {
        return filter;
    }

    /** The maximum distance, or {@code null}. */
    public Float maxDistance() {
        return maxDistance;
    }

    /** The hybrid alpha, or {@code null} for near-vector. */
    public Float alpha() {
        return alpha;
    }

    public List<String> returnProperties() {
        return properties;
    }

    public boolean includeVector() {
        return includeVector;
    }

    @Override
    public String toString() {
        return "VectorQuery{" + kind + ", " + vector.length + "d" + (text == null ? "" : ", text") + ", limit=" + limit
                + (filter == null ? "" : ", filter=" + filter) + "}";
    }
}
