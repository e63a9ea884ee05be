package io.suho.client.analytics;

import com.clickhouse.client.api.Client;
import io.suho.client.core.NativeCall;
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
 * when the store is unavailable or did not answer, statements and inserts are not (unless {@link InsertOptions#retry()}
 * says the target deduplicates). Driver timeouts come from {@code suho.analytics.timeout}, per call from
 * {@link QueryOptions#maxExecutionTime()}. A call that was not sent (breaker open, connection refused) fails with
 * {@link io.suho.client.core.StoreUnavailableException}; one that got no answer, or that the server cancelled at its
 * {@code max_execution_time}, with {@link io.suho.client.core.StoreTimeoutException} (an insert may have landed); an
 * error ClickHouse reports about the call with {@link AnalyticsQueryException}. Thread-safe.
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

    /** Empty {@link EncodedRows} for this server: rows encoded one by one, sent whole or in ranges. */
    EncodedRows encodedRows();

    /**
     * Inserts rows encoded ahead (by {@link #encodedRows()}) into {@code table} with one HTTP request, exactly as
     * {@link #insert(String, Collection, RowEncoder, InsertOptions)} sends them; does nothing when there are none.
     *
     * @throws IllegalArgumentException when {@code rows} did not come from this client
     */
    void insert(String table, EncodedRows rows, InsertOptions options);

    /** A buffered, batching inserter for {@code table}; close it to flush and stop it. */
    <T> BatchInserter<T> batchInserter(String table, RowEncoder<T> encoder, BatchOptions options);

    /** Creates the table from a declared schema if it does not exist yet ({@code CREATE TABLE IF NOT EXISTS}). */
    void createTable(TableSpec table);

    /** What the SDK knows about the server (version, capabilities it uses), detected at start and on reconnect. */
    ServerInfo serverInfo();

    /**
     * Runs a call of your own on the SDK's client-v2 {@link Client}, for what this interface does not wrap (an output
     * format of your choice, client-v2 settings, its other APIs), through the store's circuit breaker,
     * {@code suho.client.requests} timer (tag {@code operation} = {@code operation}) and failure mapping; retried after
     * a store failure only when {@code idempotent}. An open breaker rejects it without running {@code call}.
     *
     * <pre>{@code
     * String csv = ch.execute("export-csv", true, client -> {
     *     QuerySettings settings = new QuerySettings().serverSetting("format_csv_delimiter", ";");
     *     try (QueryResponse r = client.query("SELECT symbol, count() FROM trades GROUP BY symbol FORMAT CSV",
     *             settings).get()) {
     *         return new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
     *     }
     * });
     * }</pre>
     *
     * <p>Read and close every response inside {@code call}: failures while reading it are then mapped like the SDK's
     * own. The client's socket timeout is {@code suho.analytics.timeout}; set a longer one per call with
     * {@code QuerySettings.setNetworkTimeout}. The client belongs to the SDK: never keep or close it. Remember the
     * 18.16 rules in {@code docs/analytics.md} (no compression, the format in the SQL) when you target old servers.
     *
     * @param operation the name the call is timed and reported under
     * @param idempotent true when running {@code call} twice is harmless (a read, a deduplicated insert)
     * @throws io.suho.client.core.StoreUnavailableException not sent (breaker open, refused)
     * @throws io.suho.client.core.StoreTimeoutException sent or maybe sent, no answer; or cancelled by the server at
     *     its time limit ({@code serverReported()})
     * @throws AnalyticsQueryException ClickHouse answered with an error ({@code serverCode()})
     */
    <R> R execute(String operation, boolean idempotent, NativeCall<Client, R> call);
}
