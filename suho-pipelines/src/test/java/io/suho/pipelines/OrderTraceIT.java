package io.suho.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import brave.handler.MutableSpan;
import com.fasterxml.jackson.databind.JsonNode;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.TopicSpec;
import io.suho.client.postgres.PostgresClient;
import io.suho.events.Event;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One order placed through the SDK is one trace: the PostgreSQL transaction (order row + outbox append), the relay's
 * publish of the outbox row, the Kafka produce, the sink's receive and its ClickHouse insert all share its trace id.
 * Checked on the spans the tracer finished and — when a Zipkin answers on {@code suho.test.zipkin} (default
 * {@code http://127.0.0.1:9411}, {@code infra/local/up zipkin}) — in Zipkin's API, where the trace is looked up by
 * service name. Zipkin is not one of the required stores: without it the Zipkin half is skipped with a printed reason.
 */
class OrderTraceIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private static String zipkinOrNull() {
        String url = System.getProperty("suho.test.zipkin", "http://127.0.0.1:9411");
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                return url;
            }
            System.out.println("OrderTraceIT: Zipkin at " + url + " answered " + r.statusCode()
                    + "; the Zipkin half is skipped (start it with infra/local/up zipkin)");
        } catch (IOException | RuntimeException e) {
            System.out.println("OrderTraceIT: no Zipkin at " + url + " (" + e + "); the Zipkin half is skipped "
                    + "(start it with infra/local/up zipkin)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static MutableSpan one(List<MutableSpan> trace, String what, Predicate<MutableSpan> which) {
        List<MutableSpan> found = trace.stream().filter(which).toList();
        assertThat(found).as(what + " in " + trace.stream().map(s -> s.name() + s.tags()).toList()).hasSize(1);
        return found.get(0);
    }

    @Test
    void oneOrderIsOneTraceFromThePostgresTransactionToTheClickHouseInsert(
            @RealStore(StoreKind.POSTGRES) StoreServer pgServer, @RealStore(StoreKind.KAFKA) StoreServer kafkaServer,
            @RealStore(StoreKind.CLICKHOUSE) StoreServer chServer) throws Exception {
        String zipkin = zipkinOrNull();
        String service = "order-trace-it-" + RUN;
        String topic = "it-" + RUN + "-order-trace";
        String orders = "it_trace_order_" + RUN;
        try (TestTracing tracing = new TestTracing(service, zipkin);
                SuhoClients app = kafkaServer.configure(pgServer.configure(SuhoClients.builder().serviceName(service)
                        .observationRegistry(tracing.registry))).build();
                SuhoClients sinkSide = kafkaServer.configure(chServer.configure(SuhoClients.builder()
                        .serviceName(service).observationRegistry(tracing.registry))).build()) {
            PostgresClient pg = app.get(PostgresClient.class);
            app.get(KafkaClient.class).ensureTopic(TopicSpec.of(topic));
            pg.update("CREATE TABLE " + orders + " (id text PRIMARY KEY, qty int NOT NULL)");
            try {
                String orderId = "o-" + RUN;
                UUID eventId = pg.inTransaction(tx -> {
                    tx.update("INSERT INTO " + orders + " VALUES (?, ?)", orderId, 3);
                    return pg.outbox().append(tx, topic, orderId, "order.placed",
                            ("{\"order\":\"" + orderId + "\",\"qty\":3}").getBytes(StandardCharsets.UTF_8), Map.of());
                });
                MutableSpan append = one(tracing.spans, "the outbox append",
                        s -> "outbox_append".equals(s.tag("operation")));
                String traceId = append.traceId();
                try (OutboxRelay relay = OutboxRelay.builder(app).topics(Set.of(topic)).batchSize(10).start();
                        EventSink sink = EventSink.builder(sinkSide).topic(topic).groupId("order-trace-it-" + RUN)
                                .batch(100, Duration.ofMillis(200)).build()) {
                    sink.start();
                    await().atMost(Duration.ofSeconds(60)).until(() -> sink.rowsInserted() >= 1
                            && tracing.trace(traceId).stream().anyMatch(s -> "analytics".equals(s.tag("store"))));
                }
                List<MutableSpan> trace = tracing.trace(traceId);
                MutableSpan transaction = one(trace, "the PostgreSQL transaction",
                        s -> "postgres".equals(s.tag("store")) && s.parentId() == null);
                assertThat(append.parentId()).isEqualTo(transaction.id());
                MutableSpan relayed = one(trace, "the relay's publish", s -> (topic + " relay").equals(s.name()));
                assertThat(relayed.parentId()).isEqualTo(append.id());
                MutableSpan produce = one(trace, "the Kafka produce", s -> "kafka".equals(s.tag("store")));
                assertThat(produce.parentId()).isEqualTo(relayed.id());
                MutableSpan received = one(trace, "the sink's receive", s -> (topic + " sink").equals(s.name()));
                assertThat(received.parentId()).isEqualTo(produce.id());
                MutableSpan insert = one(trace, "the ClickHouse insert", s -> "analytics".equals(s.tag("store")));
                assertThat(insert.parentId()).isEqualTo(received.id());
                assertThat(insert.tags()).containsEntry("db.system", "clickhouse").containsEntry("outcome", "success");
                assertThat(eventId).isNotNull();

                if (zipkin != null) {
                    tracing.flush();
                    List<String> names = new ArrayList<>();
                    await().atMost(Duration.ofSeconds(20)).until(() -> {
                        names.clear();
                        JsonNode traces = Event.jsonMapper().readTree(HTTP.send(HttpRequest.newBuilder(URI.create(
                                zipkin + "/api/v2/traces?limit=10&lookback=600000&serviceName=" + service)).build(),
                                HttpResponse.BodyHandlers.ofString()).body());
                        for (JsonNode t : traces) {
                            for (JsonNode span : t) {
                                if (traceId.equals(span.path("traceId").asText())) {
                                    names.add(span.path("name").asText());
                                }
                            }
                        }
                        return names.size() >= 6;
                    });
                    // Zipkin lower-cases span names
                    assertThat(names).contains((topic + " relay").toLowerCase(), (topic + " sink").toLowerCase(),
                            (topic + " publish").toLowerCase());
                    System.out.println("OrderTraceIT: trace " + traceId + " in Zipkin (" + zipkin + "/zipkin/traces/"
                            + traceId + "): " + names);
                }
            } finally {
                pg.update("DROP TABLE IF EXISTS " + orders);
            }
        }
    }
}
