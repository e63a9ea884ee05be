package io.suho.client.vector;

import java.util.List;
import java.util.Optional;

/**
 * The application's handle on Weaviate: declares collections from code, upserts objects with caller-computed
 * vectors, and searches them by vector (optionally hybrid with BM25). Get it with
 * {@code suho.get(VectorClient.class)}.
 *
 * <p>Every call runs through the vector store's circuit breaker and is timed as {@code suho.client.requests}
 * (store {@code vector}). Reads and upserts are idempotent (an upsert with the same id overwrites), so they are
 * retried on connection failures; deletes of a missing object report {@code false}. Failures arrive as
 * {@link io.suho.client.core.StoreUnavailableException} (server unreachable, timed out, breaker open) or
 * {@link io.suho.client.core.StoreOperationException} (the server refused the request). The connection to Weaviate
 * is opened on first use, so an application starts even when Weaviate is down. Thread-safe.
 */
public interface VectorClient {

    /**
     * Creates the collection if it is missing, or checks that the existing one matches: properties the server
     * lacks are added, a property declared with another type or a different distance metric fails with
     * {@link SchemaMismatchException}. Safe to call at every start.
     *
     * @return what was done
     */
    CollectionStatus ensureCollection(VectorCollection collection);

    /** Inserts or overwrites one object (same id = same object). */
    void upsert(String collection, VectorObject object);

    /**
     * Inserts or overwrites many objects in batches of {@code suho.vector.batch.size}. A rejected object does not
     * fail the others: each failure is reported in the result.
     */
    BatchResult upsertAll(String collection, List<VectorObject> objects);

    /** Runs a near-vector or hybrid search; see {@link VectorQuery}. Nearest first. */
    List<VectorMatch> search(String collection, VectorQuery query);

    /** Fetches one object by id, with its vector; empty when there is none. */
    Optional<VectorObject> get(String collection, String id);

    /** Deletes one object; {@code false} when there was nothing to delete. */
    boolean delete(String collection, String id);
}
