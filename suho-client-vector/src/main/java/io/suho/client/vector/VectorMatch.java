package io.suho.client.vector;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One search hit.
 *
 * @param id the object's UUID
 * @param properties the object's properties
 * @param distance vector distance to the query (near-vector search), or {@code null}
 * @param score the hybrid/BM25 score (hybrid search), or {@code null}
 * @param vector the stored vector when {@link VectorQuery#includeVector()} was asked for, else {@code null}
 */
public record VectorMatch(String id, Map<String, Object> properties, @Nullable Float distance, @Nullable Float score,
        float @Nullable [] vector) {
}
