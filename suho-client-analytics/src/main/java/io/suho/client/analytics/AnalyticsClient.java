package io.suho.client.analytics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ClickHouse client a service gets from {@code suho.get(AnalyticsClient.class)}: DDL and statements, queries with
 * typed parameters, streaming reads, synchronous batch inserts and {@link BatchInserter}s.
 *
 * <p>Parameters use ClickHouse's own placeholder syntax, {@code {name:Type}} (for example
 * {@code WHERE symbol = {sym:String} AND ts >= {from:DateTime}}); each value is checked against its declared type
 * and rendered as a literal with strict escaping, so user input is never concatenated into SQL (the 18.16 servers we
 * test against have no server-side parameters; the same syntax is what modern servers bind natively). Use
 * {@code {t:Identifier}} for a table or column name chosen at run time.
 *
 * <p>Every call goes through the store's circuit breaker and {@code suho.client.requests} timer; reads are retried
 * when the store is unavailable, statements and inserts are not (unless {@link InsertOptions#retry()} says the target
 * deduplicates). Driver timeouts come from {@code suho.analytics.timeout}, per call from
 * {@link QueryOptions#maxExecutionTime()}. Thread-safe.
 */
public interface AnalyticsClient {

    /** Runs a statement (DDL, {@code OPTIMIZE}, {@code ALTER}, …) with no parameters. */
    void execute(String sql);

    /** Runs a statement with {@code {name:Type}} parameters and per-call options. */
    void execute(String sql, Map<String, ?> params, QueryOptions options);

    /** Runs a query and maps every row; the whole result is held in memory (use {@link #stream} for large ones). */
    <T> List<T> query(String sql, Map<String, ?> params, RowMapper<T> mapper);

    /** {@link #query(String, Map, RowMapper)} with per-call options (max execution time, query id, settings). */
    <T> List<T> query(String sql, Map<String, ?> params, QueryOptions options, RowMapper<T> mapper);

    /**
     * Runs a query and hands each mapped row to {@code sink} as it is read from the socket, without holding the
     * result in memory. Never retried (rows may already have been handed out).
     *
     * @return the number of rows read
     */
    <T> long stream(String sql, Map<String, ?> params, QueryOptions options, RowMapper<T> mapper, Consumer<T> sink);

    /** The first column of the first row as a long (e.g. {@code SELECT count() …}); fails when there is no row. */
    long queryLong(String sql, Map<String, ?> params);

    /**
     * Inserts {@code rows} into {@code table} with one HTTP request (JSONEachRow). The insert is atomic for a
     * batch below the server's {@code max_insert_block_size} (about a million rows): either all rows are written or
     * the call fails.
     *
     * @throws IllegalArgumentException when a row cannot be encoded (names the column and the value's type)
     */
    <T> void insert(String table, Collection<T> rows, RowEncoder<T> encoder, InsertOptions options);

    /** A buffered, batching inserter for {@code table}; close it to flush and stop it. */
    <T> BatchInserter<T> batchInserter(String table, RowEncoder<T> encoder, BatchOptions options);

    /** Creates the table from a declared schema if it does not exist yet ({@code CREATE TABLE IF NOT EXISTS}). */
    void createTable(TableSpec table);

    /** What the SDK knows about the server (version, capabilities it uses), detected at start and on reconnect. */
    ServerInfo serverInfo();
}
