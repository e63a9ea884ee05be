package io.suho.client.vector;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link VectorClient#upsertAll}: which objects were stored and why the others were rejected.
 *
 * @param stored ids stored, in input order
 * @param failures rejected ids with the server's reason, in input order
 */
public record BatchResult(List<String> stored, Map<String, String> failures) {

    public BatchResult {
        stored = List.copyOf(stored);
        failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
    }

    /** True when every object was stored. */
    public boolean allStored() {
        return failures.isEmpty();
    }
}
