package io.suho.client.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The escape hatch ({@link AnalyticsClient#execute(String, boolean, io.suho.client.core.NativeCall)}) and the typed
 * outcomes against a real ClickHouse (18.16 from the local stack, or SUHO_CLICKHOUSE_URL): a native client-v2 call is
 * timed under its own operation name, an open breaker rejects it without running it, and a query the server cancels
 * at {@code max_execution_time} (before or after it started sending rows) is a server-reported timeout that never
 * opens the breaker.
 */
class AnalyticsNativeCallIT {

    private static double count(SimpleMeterRegistry registry, String operation, String outcome) {
        Timer t = registry.find("suho.client.requests").tag("store", "analytics").tag("operation", operation)
                .tag("outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void aNativeCallRunsThroughThePipelineUnderItsOwnOperationName(
            @RealStore(StoreKind.CLICKHOUSE) StoreServer server) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = server.configure(SuhoClients.builder().serviceName("analytics-native-it")
                .meterRegistry(registry)).build()) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            // a format and a setting the SDK's query API does not offer (it reads TSV and refuses FORMAT clauses)
            String csv = ch.execute("export-csv", true, client -> {
                QuerySettings settings = new QuerySettings().serverSetting("format_csv_delimiter", ";");
                try (QueryResponse r = client.query("SELECT number, number * 2 FROM system.numbers LIMIT 3 FORMAT CSV",
                        settings).get()) {
                    return new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                }
            });
            assertThat(csv).isEqualTo("0;0\n1;2\n2;4\n");
            assertThat(count(registry, "export-csv", "success")).isEqualTo(1);
            // a server error inside a native call is mapped like the SDK's own calls
            assertThatThrownBy(() -> ch.execute("bad-sql", true, client -> client.query("SELEC 1").get()))
                    .isInstanceOfSatisfying(AnalyticsQueryException.class, e -> {
                        assertThat(e.serverCode()).isEqualTo(62);
                        assertThat(e.operation()).isEqualTo("bad-sql");
                    });
            assertThat(count(registry, "bad-sql", "error")).isEqualTo(1);
        }
    }

    @Test
    void anOpenBreakerRejectsANativeCallWithoutRunningIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // a real socket nobody listens on: every call is refused, so nothing was sent
        try (SuhoClients down = SuhoClients.builder().serviceName("analytics-native-down").meterRegistry(registry)
                .endpoint(Store.ANALYTICS, "127.0.0.1:1")
                .resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder().maxRetries(0)
                        .breakerFailureThreshold(2).breakerWindow(2).breakerDelay(Duration.ofSeconds(30)).build())
                .build()) {
            AnalyticsClient ch = down.get(AnalyticsClient.class);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> ch.execute("ping-native", true, client -> {
                    ran.incrementAndGet();
                    return client.query("SELECT 1").get();
                })).isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.breakerOpen()).isFalse()).hasMessageContaining("was not sent");
            }
            assertThat(ran).hasValue(2);
            assertThat(down.breakerStates().get(Store.ANALYTICS)).isEqualTo("OPEN");
            assertThatThrownBy(() -> ch.execute("ping-native", true, client -> ran.incrementAndGet()))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            e -> assertThat(e.breakerOpen()).isTrue());
            assertThat(ran).as("the lambda must not run while the breaker is open").hasValue(2);
            assertThat(count(registry, "ping-native", "rejected")).isEqualTo(1);
        }
    }

    @Test
    void aQueryCancelledAtMaxExecutionTimeIsAServerTimeoutThatDoesNotOpenTheBreaker(
            @RealStore(StoreKind.CLICKHOUSE) StoreServer server) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // two counted failures would open this breaker
        try (SuhoClients suho = server.configure(SuhoClients.builder().serviceName("analytics-server-timeout-it")
                .meterRegistry(registry).resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder()
                        .timeout(Duration.ofSeconds(10)).breakerFailureThreshold(2).breakerWindow(2)
                        .breakerDelay(Duration.ofSeconds(30)).build())).build()) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            String scan = "SELECT count() FROM system.numbers WHERE number = 999999999999999";
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> ch.query(scan, Map.of(),
                        QueryOptions.defaults().withMaxExecutionTime(Duration.ofSeconds(1)), r -> 1))
                        .isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
                            assertThat(e.serverReported()).isTrue();
                            assertThat(e.store()).isEqualTo(Store.ANALYTICS);
                            assertThat(e.operation()).isEqualTo("query");
                        })
                        .hasMessageContaining("cancelled by the server").hasMessageContaining("[159]");
                // not retried: one server-side second, not three
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
            }
            // a stream the server cuts off after rows went out: 18.16 writes the error into the body, read as its code
            AtomicInteger streamed = new AtomicInteger();
            assertThatThrownBy(() -> ch.stream("SELECT number FROM system.numbers WHERE number % 1000 = 0", Map.of(),
                    QueryOptions.defaults().withMaxExecutionTime(Duration.ofSeconds(1)), r -> r.getLong(0),
                    n -> streamed.incrementAndGet()))
                    .isInstanceOfSatisfying(StoreTimeoutException.class, e -> assertThat(e.serverReported()).isTrue())
                    .hasMessageContaining("[159]");
            System.out.println("rows streamed before the server's time limit: " + streamed.get());
            // the same through the escape hatch, with the setting given natively
            assertThatThrownBy(() -> ch.execute("native-scan", true, client -> {
                try (QueryResponse r = client.query(scan + " FORMAT TabSeparated",
                        new QuerySettings().serverSetting("max_execution_time", "1")).get()) {
                    return r.getInputStream().readAllBytes();
                }
            })).isInstanceOfSatisfying(StoreTimeoutException.class, e -> assertThat(e.serverReported()).isTrue());
            assertThat(suho.breakerStates().get(Store.ANALYTICS)).isEqualTo("CLOSED");
            assertThat(ch.queryLong("SELECT 42", Map.of())).isEqualTo(42);
            assertThat(count(registry, "query", "timeout")).isEqualTo(2);
            assertThat(count(registry, "native-scan", "timeout")).isEqualTo(1);
            assertThat(count(registry, "stream", "timeout")).isEqualTo(1);
        }
    }
}
