package io.suho.client.postgres;

import io.suho.client.core.NativeCall;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL client a service gets from {@code suho.get(PostgresClient.class)}: parameterised query helpers,
 * retried transactions, the transactional outbox, time-series helpers and replica-routed reads.
 *
 * <p>Every call goes through the store's resilience pipeline (circuit breaker, timeouts, metrics). Reads are
 * retried on transient failures; single-statement writes ({@link #update}, {@link #batch}) are never retried, and
 * {@link #inTransaction} retries the whole block only on serialization failure or deadlock (40001/40P01).
 *
 * <p>Failures: {@code StoreUnavailableException} when nothing was sent (refused, no connection, breaker open);
 * {@code StoreTimeoutException} when the outcome is unknown (no answer in time, connection lost mid-call) or the
 * server cancelled the statement at {@code statement_timeout} ({@code serverReported()}, SQLState 57014);
 * {@code DuplicateKeyException} for a unique violation (23505); {@link PostgresException} for other server errors.
 */
public interface PostgresClient {

    /** Runs a read query and maps every row; the operation name is the statement's verb (e.g. {@code select}). */
    <T> List<T> query(String sql, RowMapper<T> mapper, @Nullable Object... params);

    /** Runs a read query and returns the first row, if any. */
    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, @Nullable Object... params);

    /** Runs one write statement in autocommit mode and returns the affected row count; never retried. */
    int update(String sql, @Nullable Object... params);

    /**
     * Runs one {@code INSERT} (write it <b>without</b> a {@code RETURNING} clause) and returns the value the database
     * gave {@code keyColumn} in the inserted row — an identity, {@code serial} or defaulted ({@code gen_random_uuid()})
     * column. The driver adds {@code RETURNING "keyColumn"}; the value is read as {@code keyType} ({@code Long},
     * {@code UUID}, {@code String}, …). Empty when no row was inserted ({@code ON CONFLICT DO NOTHING}). Never
     * retried.
     *
     * <pre>{@code
     * long id = pg.insertReturningKey("INSERT INTO orders (symbol, qty) VALUES (?, ?)", "id", Long.class, "BTC-USD", 3)
     *         .orElseThrow();
     * }</pre>
     *
     * @throws IllegalArgumentException the key column is blank or the statement is not an {@code INSERT}
     */
    <K> Optional<K> insertReturningKey(String sql, String keyColumn, Class<K> keyType, @Nullable Object... params);

    /**
     * {@link #insertReturningKey} for an {@code INSERT} that may write several rows ({@code VALUES (…), (…)} or
     * {@code INSERT … SELECT}): the keys of every inserted row, in the order the server returned them. Never retried.
     */
    <K> List<K> insertReturningKeys(String sql, String keyColumn, Class<K> keyType, @Nullable Object... params);

    /** Runs one statement for every parameter row as a JDBC batch in one transaction; never retried. */
    int[] batch(String sql, List<Object[]> rows);

    /**
     * Runs {@code work} in a transaction at the given isolation level, committing when it returns and rolling back
     * when it throws. The whole block is retried (with jittered backoff, bounded) on SQLState 40001/40P01 only, so
     * it must not have side effects outside the transaction.
     */
    <T> T inTransaction(Isolation isolation, TransactionWork<T> work);

    /** {@link #inTransaction(Isolation, TransactionWork)} at {@link Isolation#READ_COMMITTED}. */
    <T> T inTransaction(TransactionWork<T> work);

    /**
     * A view whose reads go to a replica: of two usable replicas picked at random, the one with the lower recent
     * latency × reads in flight ÷ weight ({@code suho.postgres.replica.routing}, {@code .weights}; failing and drained
     * replicas are skipped), falling back to the primary when none is usable; writes stay on the primary.
     */
    PostgresClient reading();

    /** A view whose calls are recorded under the given operation name instead of the statement verb. */
    PostgresClient named(String operation);

    /**
     * A view whose calls get {@code timeout} instead of the store timeout ({@code suho.postgres.timeout}, 1 s by
     * default): a report query that needs 30 s, or a hot path that must give up after 100 ms. For each call the
     * server's {@code statement_timeout} is set to the timeout less a margin (a tenth, 20..250 ms), so a slow statement
     * is cancelled cleanly by the server ({@code StoreTimeoutException} with {@code serverReported()}, SQLState
     * 57014), the socket read timeout to the whole timeout (a hung server), and the call pipeline gets it as the
     * whole-call budget (retries of reads included, and {@code timeout()} of the exception). Waiting for a pooled
     * connection keeps the pool's own limit. Costs two extra round trips per call ({@code SET statement_timeout}
     * before, {@code RESET} after, on the same connection). Applies to every method of the view, transactions
     * included (the whole block then runs under one statement timeout per statement, and the socket timeout bounds
     * each one); {@link #reading()} and {@link #named} views of it keep it. Cheap: make one per call site or keep it.
     *
     * @param timeout at least 1 ms, at most 1 hour
     */
    PostgresClient withTimeout(Duration timeout);

    /**
     * Streams a large result row by row with the given fetch size (a server-side cursor inside a read-only
     * transaction), so the whole result never sits in memory.
     */
    <T> long stream(String sql, int fetchSize, RowMapper<T> mapper, Consumer<? super T> sink, @Nullable Object... params);

    /** The transactional outbox: append events in the caller's transaction. */
    Outbox outbox();

    /** Time-series helpers (TimescaleDB when present, native partitioning otherwise). */
    TimeSeries timeSeries();

    /** The primary pool, for libraries that need a {@link DataSource}; calls through it bypass the pipeline. */
    DataSource primaryDataSource();

    /** The timeout calls of this client get: the store timeout, or the one given to {@link #withTimeout}. */
    Duration timeout();

    /**
     * Runs your own JDBC code through this store's pipeline: the circuit breaker, retries (only when
     * {@code idempotent}), the {@code suho.client.requests} timer under {@code operation}, and the same failure
     * mapping as the SDK's own calls. Use it for what the helpers do not cover (driver-specific APIs, server-side
     * cursors you drive yourself, {@code CopyManager}, …).
     *
     * <pre>{@code
     * long copied = pg.execute("copy_fills", false, c -> c.unwrap(PGConnection.class).getCopyAPI()
     *         .copyIn("COPY fills FROM STDIN (FORMAT csv)", new StringReader(csv)));
     * }</pre>
     *
     * <p>The connection comes from the current primary's pool with autocommit on and the pool's timeouts set
     * (socket read and {@code statement_timeout}); it is closed — returned to the pool — when {@code call} returns,
     * so do not keep it or anything opened on it. If you turn autocommit off, commit before returning: the pool
     * rolls back what is left open. An idempotent call may run {@code call} again on another connection.
     *
     * @param operation the {@code operation} tag of the metrics and the name in failure messages
     * @param idempotent whether {@code call} may be run again after a store failure
     * @throws io.suho.client.core.StoreUnavailableException not sent (breaker open, refused, primary known down)
     * @throws io.suho.client.core.StoreTimeoutException sent or maybe sent, no answer (or cancelled by the server)
     * @throws io.suho.client.core.StoreOperationException the server answered with an error ({@link PostgresException},
     *     {@code DuplicateKeyException}); unchecked exceptions thrown by {@code call} itself pass through unchanged
     */
    <R> R execute(String operation, boolean idempotent, NativeCall<Connection, R> call);
}
