package io.suho.client.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real ClickHouse (18.16 from the local stack, or SUHO_CLICKHOUSE_URL). */
class AnalyticsClientIT {
    private static SuhoClients suho;
    private static AnalyticsClient ch;
    private static SimpleMeterRegistry registry;
    private static final String T = "it_types_" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void start(@RealStore(StoreKind.CLICKHOUSE) StoreServer server) {
        registry = new SimpleMeterRegistry();
        suho = server.configure(SuhoClients.builder().serviceName("analytics-it").meterRegistry(registry)).build();
        ch = suho.get(AnalyticsClient.class);
        ch.createTable(TableSpec.builder(T)
                .column("id", "UInt64").column("name", "String").column("price", "Decimal(18, 4)")
                .column("qty", "Nullable(Int32)").column("ratio", "Float64").column("tags", "Array(String)")
                .column("ts", "DateTime").column("day", "Date").column("big", "UInt64")
                .mergeTree().orderBy("id").build());
    }

    @AfterAll
    static void stop() {
        if (ch != null) {
            ch.execute("DROP TABLE IF EXISTS " + T);
        }
        if (suho != null) {
            suho.close();
        }
    }

    record Trade(long id, String name, BigDecimal price, Integer qty, double ratio, List<String> tags, Instant ts,
            LocalDate day, String big) {
    }

    private static final RowEncoder<Trade> ENCODER = (t, row) -> row.put("id", t.id()).put("name", t.name())
            .put("price", t.price()).put("qty", t.qty()).put("ratio", t.ratio()).put("tags", t.tags())
            .put("ts", t.ts()).put("day", t.day()).put("big", new java.math.BigInteger(t.big()));

    private static final RowMapper<Trade> MAPPER = r -> new Trade(r.getLong("id"), r.getString("name"),
            r.getBigDecimal("price"), r.isNull("qty") ? null : r.getInt("qty"), r.getDouble("ratio"),
            r.getList("tags"), r.getInstant("ts"), r.getLocalDate("day"), r.getString("big"));

    @Test
    void typesRoundTripExactly() {
        List<Trade> in = List.of(
                new Trade(1, "plain", new BigDecimal("12345678901234.5678"), 10, 0.1, List.of("a", "b"),
                        Instant.parse("2024-01-02T03:04:05Z"), LocalDate.of(2024, 1, 2), "18446744073709551615"),
                new Trade(2, "quote ' \" back \\ tab \t nl \n ü€", new BigDecimal("-0.0001"), null, -1.5e300,
                        List.of("it's", "x\ty", ""), Instant.parse("2038-01-19T03:14:07Z"), LocalDate.of(2000, 2, 29),
                        "0"),
                new Trade(3, "", BigDecimal.ZERO.setScale(4), Integer.MIN_VALUE, 0, List.of(),
                        Instant.parse("1970-01-02T00:00:00Z"), LocalDate.of(1970, 1, 2), "1"));
        ch.insert(T, in, ENCODER, InsertOptions.defaults());
        List<Trade> out = ch.query("SELECT * FROM {t:Identifier} WHERE has({ids:Array(UInt64)}, id) ORDER BY id",
                Map.of("t", T, "ids", List.of(1L, 2L, 3L)), MAPPER);
        assertThat(out).containsExactlyElementsOf(in);
        // decimals as strings keep every digit
        assertThat(ch.query("SELECT price FROM " + T + " WHERE id = 1", Map.of(), r -> r.getString("price")))
                .containsExactly("12345678901234.5678");
    }

    @Test
    void parametersAreBoundTypedAndCannotInject() {
        ch.insert(T, List.of(new Trade(100, "x' OR 1=1 --", new BigDecimal("1.5000"), 1, 1, List.of("t"),
                Instant.parse("2024-05-01T00:00:00Z"), LocalDate.of(2024, 5, 1), "5")), ENCODER, InsertOptions.defaults());
        Map<String, Object> p = new HashMap<>();
        p.put("name", "x' OR 1=1 --");
        p.put("price", new BigDecimal("1.5"));
        p.put("from", Instant.parse("2024-04-30T23:59:59Z"));
        p.put("day", LocalDate.of(2024, 5, 1));
        assertThat(ch.queryLong("SELECT count() FROM " + T + " WHERE name = {name:String} AND price = "
                + "{price:Decimal(18, 4)} AND ts > {from:DateTime} AND day = {day:Date}", p)).isEqualTo(1);
        assertThat(ch.queryLong("SELECT count() FROM " + T + " WHERE name = {name:String}", Map.of("name", "x"))).isZero();
        assertThatThrownBy(() -> ch.queryLong("SELECT count() FROM " + T + " WHERE id = {id:UInt64}",
                Map.of("id", "1 OR 1=1"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id'");
    }

    @Test
    void streamsLargeResultsRowByRow() {
        AtomicLong sum = new AtomicLong();
        long n = ch.stream("SELECT number FROM system.numbers LIMIT {n:UInt32}", Map.of("n", 200_000),
                QueryOptions.defaults(), r -> r.getLong(0), sum::addAndGet);
        assertThat(n).isEqualTo(200_000);
        assertThat(sum.get()).isEqualTo(199_999L * 200_000 / 2);
    }

    @Test
    void serverErrorsAreCallerErrorsWithTheirCode() {
        assertThatThrownBy(() -> ch.execute("SELEC 1")).isInstanceOfSatisfying(AnalyticsQueryException.class,
                e -> assertThat(e.serverCode()).isEqualTo(62));
        assertThatThrownBy(() -> ch.query("SELECT * FROM no_such_table_xyz", Map.of(), r -> 1))
                .isInstanceOfSatisfying(AnalyticsQueryException.class, e -> assertThat(e.serverCode()).isEqualTo(60));
        assertThatThrownBy(() -> ch.insert(T, List.of(1), (v, row) -> row.put("id", "not a number"),
                InsertOptions.defaults())).isInstanceOfSatisfying(AnalyticsQueryException.class,
                        e -> assertThat(e.serverCode()).isIn(6, 26, 27, 72));
        assertThatThrownBy(() -> ch.insert(T, List.of(1), (v, row) -> row.put("id", 1).put("nope", 1),
                InsertOptions.defaults())).isInstanceOfSatisfying(AnalyticsQueryException.class,
                        e -> assertThat(e.serverCode()).isEqualTo(117));
        assertThatThrownBy(() -> ch.query("SELECT 1 FORMAT JSON", Map.of(), r -> 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FORMAT");
        // the row mapper's own exception reaches the caller as it was thrown
        assertThatThrownBy(() -> ch.query("SELECT 1", Map.of(), r -> r.getString("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> ch.query("SELECT 1", Map.of(), r -> {
            throw new java.io.IOException("mapper I/O");
        })).isInstanceOfSatisfying(AnalyticsQueryException.class, e -> assertThat(e.serverCode()).isZero())
                .hasRootCauseMessage("mapper I/O");
        // caller errors do not open the breaker
        assertThat(suho.breakerStates().get(Store.ANALYTICS)).isEqualTo("CLOSED");
    }

    @Test
    void perCallMaxExecutionTimeAndQueryId() {
        assertThatThrownBy(() -> ch.query("SELECT count() FROM system.numbers WHERE number = 999999999999999",
                Map.of(), QueryOptions.defaults().withMaxExecutionTime(Duration.ofSeconds(1)), r -> 1))
                .isInstanceOfSatisfying(StoreTimeoutException.class, e -> assertThat(e.serverReported()).isTrue())
                .hasMessageContaining("159");
        String qid = "suho-it-" + UUID.randomUUID();
        List<String> seen = new ArrayList<>();
        // the server lists a running query with its id in system.processes
        ch.query("SELECT query_id FROM system.processes WHERE query_id = {q:String}", Map.of("q", qid),
                QueryOptions.defaults().withQueryId(qid).withSetting("max_threads", 1), r -> r.getString(0))
                .forEach(seen::add);
        assertThat(seen).containsExactly(qid);
    }

    @Test
    void healthReportsVersionAndServerInfoIsDetected() {
        StoreHealth h = suho.health(Store.ANALYTICS);
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.detail()).containsKey("version");
        ServerInfo info = ch.serverInfo();
        assertThat(info.known()).isTrue();
        System.out.println("ClickHouse server " + info.version() + " tz " + info.timeZone() + " dedup token "
                + info.supportsInsertDedupToken());
        assertThat(registry.find("suho.client.requests").tag("store", "analytics").timers()).isNotEmpty();
    }

    @Test
    void unreachableServerFailsFastAsUnavailableAndOpensTheBreaker() {
        try (SuhoClients down = SuhoClients.builder().serviceName("analytics-it-down")
                .endpoint(Store.ANALYTICS, "127.0.0.1:1")
                .resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder().timeout(Duration.ofSeconds(1))
                        .maxRetries(0).build())
                .build()) {
            AnalyticsClient c = down.get(AnalyticsClient.class);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> c.queryLong("SELECT 1", Map.of())).isInstanceOf(StoreUnavailableException.class);
            }
            assertThatThrownBy(() -> c.queryLong("SELECT 1", Map.of()))
                    .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.breakerOpen()).isTrue());
            assertThat(down.health(Store.ANALYTICS).status()).isEqualTo(HealthStatus.DOWN);
        }
    }

    @Test
    void nullableArraysRoundTrip() {
        String t = T + "_n";
        ch.execute("CREATE TABLE " + t + " (id UInt32, a Array(Nullable(Int64)), s Nullable(String)) "
                + "ENGINE = MergeTree ORDER BY id");
        try {
            ch.insert(t, List.of(1, 2), (v, row) -> row.put("id", v).put("a", Arrays.asList(1L, null, -3L))
                    .put("s", v == 1 ? null : "x"), InsertOptions.defaults());
            assertThat(ch.query("SELECT * FROM " + t + " ORDER BY id", Map.of(),
                    r -> r.getList("a") + "/" + r.getString("s"))).containsExactly("[1, null, -3]/null", "[1, null, -3]/x");
        } finally {
            ch.execute("DROP TABLE " + t);
        }
    }
}
