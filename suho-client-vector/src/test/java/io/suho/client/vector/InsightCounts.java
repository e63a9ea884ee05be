package io.suho.client.vector;

import io.suho.client.core.DuplicateKeyException;
import io.weaviate.client6.v1.api.collections.Vectors;
import java.util.Map;

/** The escape-hatch example of docs/vector.md, kept here so it compiles and runs in {@code VectorExecuteTest}. */
final class InsightCounts {
    private final VectorClient vectors;

    InsightCounts(VectorClient vectors) {
        this.vectors = vectors;
    }

    /** How many insights are stored: an aggregation the SDK does not wrap. */
    long count() {
        return vectors.execute("insights.count", true,
                weaviate -> weaviate.collections.use("TradingInsight").size());
    }

    /** Stores an insight only if its id is new ({@code upsert} would overwrite it); false when it was there. */
    boolean insertIfAbsent(String id, Map<String, Object> properties, float[] vector) {
        try {
            vectors.execute("insights.insert", false, weaviate -> weaviate.collections.use("TradingInsight").data
                    .insert(properties, o -> o.uuid(id).vectors(Vectors.of("default", vector))));
            return true;
        } catch (DuplicateKeyException e) {
            return false; // Weaviate answered 422 "id '…' already exists"
        }
    }
}
