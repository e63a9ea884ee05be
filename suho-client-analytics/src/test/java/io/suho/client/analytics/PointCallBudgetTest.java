package io.suho.client.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.SuhoClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point operations ({@link QueryOptions#point()}, {@link InsertOptions#point()}) against a ClickHouse that answers its
 * version and then hangs, the way a stopped (SIGSTOP) server looks to a client: the whole call, retries included,
 * ends within {@code suho.analytics.point-timeout} as a {@link StoreTimeoutException} carrying that budget, and a
 * slow attempt is not run again. The HTTP endpoint here only plays the hang; what ClickHouse stores is tested by the
 * ITs against a real server.
 */
class PointCallBudgetTest {
    private static final Duration POINT = Duration.ofMillis(400);

    @TempDir
    Path dir;
    private HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    /** The requests that were held (everything but the version probe), as decoded URIs. */
    private final List<String> held = new CopyOnWriteArrayList<>();
    private SuhoClients suho;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        suho = SuhoClients.builder().serviceName("point-budget-test").environment(Map.of())
                .systemProperties(new Properties()).endpointCacheFile(dir.resolve("endpoints.json"))
                .meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.ANALYTICS, "127.0.0.1:" + server.getAddress().getPort())
                .set("suho.analytics.point-timeout", POINT.toMillis() + "ms").build();
    }

    @AfterEach
    void stop() {
        if (suho != null) {
            suho.close();
        }
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (body.strip().equals("SELECT 1 FORMAT TabSeparated")) { // client-v2's ping, the background health check
            byte[] ok = "1\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(ok);
            }
            return;
        }
        if (body.contains("version()")) {
            byte[] answer = "18.16.1\tUTC\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            }
            return;
        }
        held.add(URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
        try {
            release.await(30, TimeUnit.SECONDS); // no answer: the client's own timeout has to fire
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ex.close();
    }

    @Test
    void aPointQueryOnAHungServerEndsWithinThePointTimeoutAndIsNotRunTwice() {
        AnalyticsClient ch = suho.get(AnalyticsClient.class);
        assertThat(ch.serverInfo().version()).isEqualTo("18.16.1");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ch.query("SELECT 1", Map.of(), QueryOptions.point(), r -> 1))
                .isInstanceOfSatisfying(StoreTimeoutException.class, e -> {
                    assertThat(e.serverReported()).isFalse();
                    assertThat(e.timeout()).isEqualTo(POINT);
                    assertThat(e.operation()).isEqualTo("query");
                })
                .hasMessageContaining("got no answer within 400ms (outcome unknown)");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // the first attempt gets the budget less the retries' worst-case backoff (90 ms with the default 20..200 ms)
        assertThat(took).isBetween(Duration.ofMillis(250), POINT.plusMillis(300));
        // after a slow failure no second attempt is made, though the query is idempotent and two retries are allowed
        assertThat(held).hasSize(1);
        // the server is told to stop at the point timeout too (whole seconds, rounded up)
        assertThat(held.get(0)).contains("max_execution_time=1");
    }

    @Test
    void aPointInsertOnAHungServerIsAnUnknownOutcomeWithinThePointTimeout() {
        AnalyticsClient ch = suho.get(AnalyticsClient.class);
        long start = System.nanoTime();
        assertThatThrownBy(() -> ch.insert("t", List.of(1L), (v, row) -> row.put("id", v), InsertOptions.point()))
                .isInstanceOfSatisfying(StoreTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(POINT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(POINT.plusMillis(300));
        assertThat(held).hasSize(1);
        assertThat(held.get(0)).contains("INSERT INTO t");
    }
}
