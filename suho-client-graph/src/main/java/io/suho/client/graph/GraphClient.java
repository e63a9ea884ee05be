package io.suho.client.graph;

import com.arangodb.ArangoDatabase;
import io.suho.client.core.NativeCall;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application's handle on ArangoDB: provisions its database, collections and named graphs from code, stores
 * typed documents and edges (mapped with Jackson), and queries them with AQL whose values travel only as bind
 * variables. Traversal and shortest-path helpers answer "who trades with whom" questions. Get it with
 * {@code suho.get(GraphClient.class)}; it works on the database named by {@code suho.graph.database}.
 *
 * <p>Collection, graph and database names are checked against a strict pattern before any request; AQL text is
 * checked by {@link AqlQuery} (no string literals, no comments, every bind variable supplied). Every call runs through
 * the graph store's circuit breaker and is timed as {@code suho.client.requests} (store {@code graph}); reads,
 * provisioning, replace and delete are retried on connection failures, inserts and AQL queries are not (they may
 * not be idempotent). Failures arrive as {@link io.suho.client.core.StoreUnavailableException} (not sent: no host
 * reachable, breaker open), {@link io.suho.client.core.StoreTimeoutException} (sent or maybe sent, no answer within
 * {@code suho.graph.timeout}) or {@link io.suho.client.core.StoreOperationException} whose error code is ArangoDB's
 * error number — {@link io.suho.client.core.DuplicateKeyException} for {@code 1210} (unique constraint violated).
 * Thread-safe.
 */
public interface GraphClient {

    /** Creates the configured database if missing. Idempotent. */
    void ensureDatabase();

    /** Creates a document collection if missing. Idempotent; fails if a collection of that name is an edge one. */
    void ensureCollection(String name);

    /** Creates an edge collection if missing. Idempotent; fails if a collection of that name is a document one. */
    void ensureEdgeCollection(String name);

    /**
     * Creates a named graph (and its missing collections) if missing. Idempotent: an existing graph with the same
     * edge definitions is left alone; one with different definitions fails with an error naming the difference.
     */
    void ensureGraph(GraphDefinition graph);

    /**
     * Inserts a new document; fails with {@link io.suho.client.core.DuplicateKeyException} (error code 1210) when its
     * {@code _key} exists.
     */
    DocumentMeta insert(String collection, Object document);

    /** Replaces the whole document with this key. */
    DocumentMeta replace(String collection, String key, Object document);

    /** Merges the given attributes into the document with this key (a partial update). */
    DocumentMeta update(String collection, String key, Object partial);

    /** Deletes the document; {@code false} when there was none. */
    boolean delete(String collection, String key);

    /** Reads a document as {@code type}; empty when there is none. */
    <T> Optional<T> get(String collection, String key, Class<T> type);

    /**
     * Inserts an edge from document {@code fromId} to {@code toId} (ids as {@code collection/key}) with the given
     * attributes (any Jackson-mappable object, or {@code null}).
     */
    DocumentMeta insertEdge(String edgeCollection, String fromId, String toId, Object attributes);

    /** Runs a query and returns all results, each mapped to {@code type}. */
    <T> List<T> query(AqlQuery query, Map<String, ?> bindVars, Class<T> type);

    /**
     * Runs a query as a server-side streaming cursor, fetching batches of {@code suho.graph.cursor.batch-size} as the
     * iterator advances. Close it (try-with-resources) to free the server cursor early.
     */
    <T> GraphCursor<T> stream(AqlQuery query, Map<String, ?> bindVars, Class<T> type);

    /** Vertices reachable from the traversal's start within its depth range, each once, nearest first. */
    <T> List<T> traverse(Traversal traversal, Class<T> vertexType);

    /**
     * The vertices of one shortest path from {@code fromId} to {@code toId} in the named graph, both ends included;
     * empty when they are not connected.
     */
    <T> List<T> shortestPath(String graph, String fromId, String toId, Direction direction, Class<T> vertexType);

    /**
     * Runs a call of your own with the driver's {@link ArangoDatabase} (the database of {@code suho.graph.database}),
     * for what this client does not wrap (indexes, collection counts, transactions, views), through the graph
     * store's pipeline: its circuit breaker, retries (only when {@code idempotent}, and only after a store failure),
     * the {@code suho.client.requests} timer under {@code operation}, and the same failure mapping as every other call
     * (error 1210 is a {@link io.suho.client.core.DuplicateKeyException}). While the breaker is open, {@code call} is
     * not run.
     *
     * <pre>{@code
     * long traders = graph.execute("traders.count", true, db -> db.collection("traders").count().getCount());
     * }</pre>
     *
     * <p>The database handle belongs to the SDK: use it inside the call only and never keep it. Values in AQL you
     * run here should travel as bind variables, as {@link AqlQuery} enforces for {@link #query}.
     *
     * @param operation the {@code operation} tag of the call's metrics, and its name in failure messages
     * @param idempotent whether running {@code call} twice is harmless (then it is retried after a store failure)
     * @param call what to do with the database; exceptions of your own (not the driver's) reach the caller unchanged
     * @return what {@code call} returned
     */
    <R> R execute(String operation, boolean idempotent, NativeCall<ArangoDatabase, R> call);
}
