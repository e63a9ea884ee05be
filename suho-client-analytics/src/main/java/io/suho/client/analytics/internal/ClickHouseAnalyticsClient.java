package io.suho.client.analytics.internal;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.command.CommandResponse;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.BatchInserter;
import io.suho.client.analytics.BatchOptions;
import io.suho.client.analytics.EncodedRows;
import io.suho.client.analytics.InsertOptions;
import io.suho.client.analytics.QueryOptions;
import io.suho.client.analytics.RowEncoder;
import io.suho.client.analytics.RowMapper;
import io.suho.client.analytics.ServerInfo;
import io.suho.client.analytics.TableSpec;
import io.suho.client.core.NativeCall;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.spi.StoreExecutor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AnalyticsClient} on ClickHouse {@code client-v2} over HTTP, with compression off and text formats written in
 * the SQL — the combination that works on 18.16 and on current servers alike (see {@code docs/analytics.md}).
 * Detects the server version once it answers and uses {@code insert_deduplication_token} where the server has it.
 */
public final class ClickHouseAnalyticsClient implements AnalyticsClient {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseAnalyticsClient.class);
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final String TSV = " FORMAT TabSeparatedWithNamesAndTypes";
    private static final String CONNECTION_REQUEST_TIMEOUT = "connection_request_timeout";

    private final Client client;
    private final StoreExecutor executor;
    private final ResilienceConfig resilience;
    private final MeterRegistry registry;
    private final String service;
    private final int defaultMaxExecutionSeconds;
    private final Duration pointTimeout;
    private final ConcurrentHashMap<String, Set<BatchInserter<?>>> inserters = new ConcurrentHashMap<>();
    private final ServerDetector detector;

    /**
     * @param pointTimeout the budget of point operations ({@code QueryOptions.point()}, {@code InsertOptions.point()})
     */
    public ClickHouseAnalyticsClient(Client client, StoreExecutor executor, ResilienceConfig resilience,
            Duration pointTimeout, MeterRegistry registry, String service) {
        this.client = client;
        this.pointTimeout = pointTimeout.compareTo(resilience.timeout()) < 0 ? pointTimeout : resilience.timeout();
        this.executor = executor;
        this.resilience = resilience;
        this.registry = registry;
        this.service = service;
        this.detector = new ServerDetector(client, resilience.timeout(), this.pointTimeout);
        this.defaultMaxExecutionSeconds = (int) Math.max(1, (resilience.timeout().toMillis() + 999) / 1000);
    }

    // ---- server detection ----

    /** Asks the server for its version and time zone; returns what is known afterwards. Never throws. */
    public ServerInfo detect() {
        return detector.detect();
    }

    /** {@code SELECT version(), timezone()} within {@code timeout}; the health probe's check. */
    ServerInfo probeServer(Duration timeout) throws Exception {
        return detector.probe(timeout);
    }

    private ServerInfo info() {
        return detector.current();
    }

    @Override
    public ServerInfo serverInfo() {
        return info();
    }

    // ---- statements and queries ----

    @Override
    public void execute(String sql) {
        execute(sql, Map.of(), QueryOptions.defaults());
    }

    @Override
    public void execute(String sql, Map<String, ?> params, QueryOptions options) {
        String bound = SqlBinder.bind(sql, params, info().timeZone());
        CommandSettings settings = new CommandSettings();
        apply(settings, options);
        call("execute", false, budgetMillis(options), millis -> {
            timeouts(settings, millis);
            try (CommandResponse r = client.execute(bound, settings).get()) {
                return null;
            }
        });
    }

    @Override
    public <T> List<T> query(String sql, Map<String, ?> params, RowMapper<T> mapper) {
        return query(sql, params, QueryOptions.defaults(), mapper);
    }

    @Override
    public <T> List<T> query(String sql, Map<String, ?> params, QueryOptions options, RowMapper<T> mapper) {
        String bound = select(sql, params);
        QuerySettings settings = settings(options);
        return call("query", true, budgetMillis(options), millis -> {
            timeouts(settings, millis);
            List<T> out = new ArrayList<>();
            read(bound, settings, mapper, out::add);
            return out;
        });
    }

    @Override
    public <T> long stream(String sql, Map<String, ?> params, QueryOptions options, RowMapper<T> mapper,
            Consumer<T> sink) {
        String bound = select(sql, params);
        QuerySettings settings = settings(options);
        return call("stream", false, budgetMillis(options), millis -> {
            timeouts(settings, millis);
            return read(bound, settings, mapper, sink);
        });
    }

    @Override
    public long queryLong(String sql, Map<String, ?> params) {
        List<Long> r = query(sql, params, row -> row.getLong(0));
        if (r.isEmpty()) {
            throw new IllegalStateException("queryLong: the query returned no row: " + abbreviate(sql));
        }
        return r.get(0);
    }

    private <T> long read(String sql, QuerySettings settings, RowMapper<T> mapper, Consumer<T> sink)
            throws Exception {
        try (QueryResponse r = client.query(sql, settings).get()) {
            TsvRows rows = new TsvRows(r.getInputStream(), detector.last().timeZone());
            if (!rows.readHeader()) {
                return 0;
            }
            long n = 0;
            while (rows.next()) {
                T value;
                try {
                    value = mapper.map(rows);
                    sink.accept(value);
                } catch (Exception e) {
                    throw new ClickHouseFailures.CallerError(e); // the caller's code: passed through, not retried
                }
                n++;
            }
            return n;
        }
    }

    private String select(String sql, Map<String, ?> params) {
        String bound = SqlBinder.bind(sql, params, info().timeZone()).strip();
        if (bound.endsWith(";")) {
            bound = bound.substring(0, bound.length() - 1).strip();
        }
        if (endsWithFormat(bound)) {
            throw new IllegalArgumentException("query must not end with a FORMAT clause; the SDK reads "
                    + "TabSeparatedWithNamesAndTypes: " + abbreviate(sql));
        }
        return bound + TSV;
    }

    /** Cheap check for a trailing {@code FORMAT Name}: the last word is letters and the one before is FORMAT. */
    static boolean endsWithFormat(String sql) {
        int end = sql.length();
        int i = end;
        while (i > 0 && Character.isLetter(sql.charAt(i - 1))) {
            i--;
        }
        if (i == end) {
            return false;
        }
        int j = i;
        while (j > 0 && Character.isWhitespace(sql.charAt(j - 1))) {
            j--;
        }
        return j < i && j >= 6 && sql.regionMatches(true, j - 6, "FORMAT", 0, 6)
                && (j == 6 || !Character.isLetterOrDigit(sql.charAt(j - 7)));
    }

    private QuerySettings settings(QueryOptions options) {
        QuerySettings s = new QuerySettings();
        if (options.queryId() != null) {
            s.setQueryId(options.queryId());
        }
        Duration max = options.maxExecutionTime();
        int seconds = max != null ? seconds(max) : options.isPoint() ? seconds(pointTimeout)
                : defaultMaxExecutionSeconds;
        s.serverSetting("max_execution_time", Integer.toString(seconds));
        options.settings().forEach(s::serverSetting);
        return s;
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /**
     * How long a query or statement may hold its caller: the point timeout for point calls, the store timeout
     * otherwise — raised above a longer per-call max execution time, because the socket must outwait the server's own
     * limit, or the caller sees a timeout before the server's error.
     */
    private long budgetMillis(QueryOptions options) {
        Duration max = options.maxExecutionTime();
        if (max != null && max.compareTo(resilience.timeout()) > 0) {
            return max.toMillis() + 1000;
        }
        return (options.isPoint() ? pointTimeout : resilience.timeout()).toMillis();
    }

    /** One attempt of a store call, given its socket timeout in milliseconds. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run(long millis) throws Exception;
    }

    /**
     * Runs {@code attempt} through the executor within {@code budgetMillis}, retries included: each attempt gets what
     * is left of the budget as its socket timeout. A row mapper's exception reaches the caller as it was thrown.
     */
    private <T> T call(String operation, boolean idempotent, long budgetMillis, Attempt<T> attempt) {
        try {
            return executor.call(operation, idempotent, Duration.ofMillis(budgetMillis),
                    timeout -> attempt.run(Math.max(1, timeout.toMillis())));
        } catch (ClickHouseFailures.CallerError e) {
            throw e.unwrap(operation);
        }
    }

    /** One attempt's socket and pool-wait timeouts. */
    static void timeouts(QuerySettings s, long millis) {
        s.setNetworkTimeout(millis, ChronoUnit.MILLIS);
        s.setOption(CONNECTION_REQUEST_TIMEOUT, millis);
    }

    private void apply(CommandSettings s, QueryOptions options) {
        if (options.queryId() != null) {
            s.setQueryId(options.queryId());
        }
        if (options.maxExecutionTime() != null) {
            s.serverSetting("max_execution_time", Integer.toString(seconds(options.maxExecutionTime())));
        } else if (options.isPoint()) {
            s.serverSetting("max_execution_time", Integer.toString(seconds(pointTimeout)));
        }
        options.settings().forEach(s::serverSetting);
    }

    // ---- the native client ----

    @Override
    public <R> R execute(String operation, boolean idempotent, NativeCall<Client, R> call) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        return executor.call(operation, idempotent, () -> call.call(client));
    }

    // ---- inserts ----

    @Override
    public <T> void insert(String table, Collection<T> rows, RowEncoder<T> encoder, InsertOptions options) {
        checkTable(table);
        if (rows.isEmpty()) {
            return;
        }
        JsonRowWriter w = new JsonRowWriter(info().timeZone());
        int i = 0;
        for (T row : rows) {
            try {
                w.append(row, encoder);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("insert into " + table + ", row " + i + ": " + e.getMessage(), e);
            }
            i++;
        }
        insertEncoded(table, w.buffer(), w.length(), options);
    }

    @Override
    public EncodedRows encodedRows() {
        return new JsonEachRows(info().timeZone());
    }

    @Override
    public void insert(String table, EncodedRows rows, InsertOptions options) {
        checkTable(table);
        if (!(rows instanceof JsonEachRows json)) {
            throw new IllegalArgumentException("rows must come from this client's encodedRows(), got "
                    + (rows == null ? "null" : rows.getClass().getName()));
        }
        if (json.size() > 0) {
            insertEncoded(table, json.buffer(), json.length(), options);
        }
    }

    /** Sends already-encoded JSONEachRow bytes in one request; used by the inserter and {@link EncodedRows}. */
    public void insertEncoded(String table, byte[] data, int length, InsertOptions options) {
        ServerInfo server = info();
        InsertSettings settings = new InsertSettings();
        boolean retry = options.retry();
        if (options.dedupToken() != null) {
            if (server.supportsInsertDedupToken()) {
                settings.setDeduplicationToken(options.dedupToken());
                retry = true;
            } else {
                LOG.debug("server {} has no insert_deduplication_token; inserting without it", server.version());
            }
        }
        if (options.queryId() != null) {
            settings.setQueryId(options.queryId());
        }
        call("insert", retry, (options.isPoint() ? pointTimeout : resilience.timeout()).toMillis(), millis -> {
            settings.setNetworkTimeout(millis, ChronoUnit.MILLIS);
            settings.setOption(CONNECTION_REQUEST_TIMEOUT, millis);
            try (InputStream in = new ByteArrayInputStream(data, 0, length)) {
                client.insert(table, in, ClickHouseFormat.JSONEachRow, settings).get().close();
            }
            return null;
        });
    }

    static void checkTable(String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("table name '" + table + "' must match [db.]name with letters, "
                    + "digits and _");
        }
    }

    @Override
    public <T> BatchInserter<T> batchInserter(String table, RowEncoder<T> encoder, BatchOptions options) {
        checkTable(table);
        Set<BatchInserter<?>> open = inserters.computeIfAbsent(table, t -> {
            Set<BatchInserter<?>> set = ConcurrentHashMap.newKeySet();
            // one gauge per table, summing every open inserter of it
            Gauge.builder("suho.analytics.insert.buffered", set,
                    s -> s.stream().mapToInt(BatchInserter::buffered).sum())
                    .description("Rows waiting in the batch inserters of a table").tag("service", service)
                    .tag("table", t).register(registry);
            return set;
        });
        DefaultBatchInserter<?>[] self = new DefaultBatchInserter<?>[1];
        DefaultBatchInserter<T> inserter = new DefaultBatchInserter<>(this, table, encoder, options, registry, service,
                resilience, () -> open.remove(self[0]));
        self[0] = inserter;
        open.add(inserter);
        return inserter;
    }

    @Override
    public void createTable(TableSpec table) {
        execute(table.createStatement());
    }

    /** The time zone date-times are written in. */
    public ZoneId zone() {
        return info().timeZone();
    }

    private static String abbreviate(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
