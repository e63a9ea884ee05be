package io.suho.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import brave.Span;
import brave.handler.MutableSpan;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.KafkaConsumerSpec;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.client.messaging.StreamSpec;
import io.suho.client.messaging.TopicSpec;
import io.suho.client.postgres.PostgresClient;
import io.suho.events.Event;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Traces across stores against the real local stack, with a real tracer (Brave through Micrometer Tracing, W3C
 * propagation): a Kafka record written by the SDK carries the producer span's {@code traceparent} (read back with a
 * plain Kafka consumer), the SDK's consumer continues that trace with traceId/spanId in the MDC; a NATS publish → pull
 * consumer → PostgreSQL insert is one trace; every store call is an observation with the semantic-convention keys.
 */
class TracingIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private static final String TRACEPARENT = "00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]";

    private static MutableSpan only(List<MutableSpan> spans, String what) {
        assertThat(spans).as(what).hasSize(1);
        return spans.get(0);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aKafkaRecordCarriesTheProducerSpansTraceparentAndTheConsumerSpanIsItsChild(
            @RealStore(StoreKind.KAFKA) StoreServer kafkaServer) {
        String topic = "it-" + RUN + "-traced";
        try (TestTracing tracing = new TestTracing("tracing-it", null);
                SuhoClients suho = kafkaServer.configure(SuhoClients.builder().serviceName("tracing-it")
                        .observationRegistry(tracing.registry)).build()) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            kafka.ensureTopic(TopicSpec.of(topic));
            Event sent = Event.builder("order.created").source("tracing-it").key("o-1").json(Map.of("order", "o-1"))
                    .build();
            kafka.sendAndWait(topic, sent);
            MutableSpan producer = only(tracing.named(topic + " publish"), "the send's producer span");
            assertThat(producer.kind()).isEqualTo(Span.Kind.PRODUCER);
            assertThat(producer.tags()).containsEntry("messaging.system", "kafka")
                    .containsEntry("messaging.destination.name", topic).containsEntry("store", "kafka")
                    .containsEntry("outcome", "success");

            // read back with a plain Kafka consumer: the header is the W3C context of that very span
            List<ConsumerRecord<byte[], byte[]>> records = OutboxRelayIT.readAll(kafka, topic, 1);
            assertThat(records).hasSize(1);
            String traceparent = header(records.get(0), "traceparent");
            assertThat(traceparent).matches(TRACEPARENT);
            assertThat(traceparent.substring(3, 35)).isEqualTo(producer.traceId());
            assertThat(traceparent.substring(36, 52)).isEqualTo(producer.id());

            AtomicReference<String[]> mdc = new AtomicReference<>();
            try (EventConsumer c = kafka.consume(KafkaConsumerSpec.of("tracing-it-" + RUN, topic),
                    e -> mdc.set(new String[] {MDC.get("traceId"), MDC.get("spanId")}))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> mdc.get() != null);
            }
            MutableSpan consumer = only(tracing.named(topic + " process"), "the handler's consumer span");
            assertThat(consumer.kind()).isEqualTo(Span.Kind.CONSUMER);
            assertThat(consumer.traceId()).isEqualTo(producer.traceId());
            assertThat(consumer.parentId()).isEqualTo(producer.id());
            assertThat(mdc.get()).containsExactly(producer.traceId(), consumer.id());
        }
    }

    @Test
    void aNatsPublishThePullConsumerAndItsPostgresInsertAreOneTrace(
            @RealStore(StoreKind.NATS) StoreServer natsServer, @RealStore(StoreKind.POSTGRES) StoreServer pgServer) {
        String stream = "IT_TRACE_" + RUN;
        String subject = "it." + RUN + ".trace.orders";
        String table = "it_trace_orders_" + RUN;
        try (TestTracing tracing = new TestTracing("tracing-it", null);
                SuhoClients suho = natsServer.configure(pgServer.configure(SuhoClients.builder()
                        .serviceName("tracing-it").observationRegistry(tracing.registry))).build()) {
            NatsClient nats = suho.get(NatsClient.class);
            PostgresClient pg = suho.get(PostgresClient.class);
            pg.update("CREATE TABLE " + table + " (event_id uuid PRIMARY KEY, body text)");
            nats.ensureStream(StreamSpec.of(stream, subject).withMaxAge(Duration.ofHours(1)));
            Event sent = Event.builder("order.created").source("tracing-it").text("{\"order\":7}", Event.JSON).build();
            nats.jsPublish(subject, sent);
            MutableSpan publish = only(tracing.named(subject + " publish"), "the JetStream publish span");
            try (EventConsumer c = nats.consume(PullConsumerSpec.of(stream, "tracing-it"),
                    e -> pg.update("INSERT INTO " + table + " VALUES (?, ?)", e.id(), e.payloadText()))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> pg.queryOne("SELECT count(*) FROM " + table,
                        rs -> rs.getLong(1)).orElse(0L) == 1L);
            } finally {
                pg.update("DROP TABLE IF EXISTS " + table);
            }
            MutableSpan process = only(tracing.named(subject + " process"), "the pull consumer's handler span");
            assertThat(process.parentId()).isEqualTo(publish.id());
            List<MutableSpan> inserts = tracing.trace(publish.traceId()).stream()
                    .filter(s -> "postgres".equals(s.tag("store")) && process.id().equals(s.parentId())).toList();
            assertThat(inserts).as("the handler's PostgreSQL insert, a child of the consumer span").hasSize(1);
            assertThat(inserts.get(0).tags()).containsEntry("db.system", "postgresql")
                    .containsEntry("outcome", "success");
        }
    }

    @Test
    void aRealStoreCallIsOneObservationWithTheSemanticConventionKeys(
            @RealStore(StoreKind.POSTGRES) StoreServer pgServer) {
        TestObservationRegistry observations = TestObservationRegistry.create();
        try (SuhoClients suho = pgServer.configure(SuhoClients.builder().serviceName("tracing-it")
                .observationRegistry(observations)).build()) {
            assertThat(suho.get(PostgresClient.class).queryOne("SELECT 41 + 1", rs -> rs.getInt(1))).contains(42);
        }
        TestObservationRegistryAssert.assertThat(observations).hasObservationWithNameEqualTo("suho.client.call")
                .that().hasLowCardinalityKeyValue("store", "postgres")
                .hasLowCardinalityKeyValue("db.system", "postgresql").hasLowCardinalityKeyValue("outcome", "success")
                .hasHighCardinalityKeyValue("db.namespace", pgServer.database())
                .hasHighCardinalityKeyValue("server.address", pgServer.host())
                .doesNotHaveHighCardinalityKeyValueWithKey("db.query.text").hasBeenStopped();
    }

    @Test
    void theStatementTextIsRecordedOnlyWhenOptedIn(@RealStore(StoreKind.POSTGRES) StoreServer pgServer) {
        TestObservationRegistry observations = TestObservationRegistry.create();
        try (SuhoClients suho = pgServer.configure(SuhoClients.builder().serviceName("tracing-it")
                .set("suho.observation.statements", "true").observationRegistry(observations)).build()) {
            suho.get(PostgresClient.class).queryOne("SELECT 40 + 2", rs -> rs.getInt(1));
        }
        TestObservationRegistryAssert.assertThat(observations).hasObservationWithNameEqualTo("suho.client.call")
                .that().hasHighCardinalityKeyValue("db.query.text", "SELECT 40 + 2");
    }
}
