package io.suho.client.vector;

import io.suho.client.core.NativeCall;
import io.weaviate.client6.v1.api.WeaviateClient;
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
 * {@link io.suho.client.core.StoreUnavailableException} (not sent: server unreachable, breaker open),
 * {@link io.suho.client.core.StoreTimeoutException} (sent or maybe sent, no answer within {@code suho.vector.timeout})
 * or {@link io.suho.client.core.StoreOperationException} (the server refused the request;
 * {@link io.suho.client.core.DuplicateKeyException} for an insert whose id exists). The connection to Weaviate is
 * opened on first use, so an application starts even when Weaviate is down. Thread-safe.
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

    /**
     * Runs a call of your own with client6's {@link WeaviateClient}, for what this client does not wrap
     * (aggregations, BM25-only queries, references, tenants, insert-if-absent), through the vector store's pipeline:
     * its circuit breaker, retries (only when {@code idempotent}, and only after a store failure), the
     * {@code suho.client.requests} timer under {@code operation}, and the same failure mapping as every other call
     * (an insert whose id exists is a {@link io.suho.client.core.DuplicateKeyException}). The Weaviate connection is
     * opened inside the call if it is not open yet. While the breaker is open, {@code call} is not run.
     *
     * <pre>{@code
     * long insights = vectors.execute("insights.count", true,
     *         weaviate -> weaviate.collections.use("TradingInsight").size());
     * }</pre>
     *
     * <p>Collections declared with {@link #ensureCollection} keep their vector under the name {@code "default"}. The
     * client belongs to the SDK: use it inside the call only, never keep it and never close it.
     *
     * @param operation the {@code operation} tag of the call's metrics, and its name in failure messages
     * @param idempotent whether running {@code call} twice is harmless (then it is retried after a store failure)
     * @param call what to do with the client; exceptions of your own (not client6's) reach the caller unchanged
     * @return what {@code call} returned
     */
    <R> R execute(String operation, boolean idempotent, NativeCall<WeaviateClient, R> call);
}
