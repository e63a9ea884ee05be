package io.suho.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.TableSpec;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.SuhoClients;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A sink batch that ClickHouse applied but whose answer never reached the sink ({@link AnswerHoldingProxy} swallows
 * it) is a {@link StoreTimeoutException}: the sink retries the same batch and commits the offsets only afterwards, so
 * the batch is written twice and the {@code ReplacingMergeTree} read with {@code FINAL} collapses it. Merges are
 * stopped on the test table so the raw row count shows what was written. Runs against the local stack (or
 * SUHO_CLICKHOUSE_URL / SUHO_KAFKA_*); nothing is stopped. (Moved from suho-client-analytics' InsertOutcomeUnknownIT.)
 */
class EventSinkOutcomeUnknownIT {
    private static final int ROWS = 200;

    private static SuhoClients client(AnswerHoldingProxy proxy, StoreServer server, SimpleMeterRegistry registry) {
        SuhoClients.Builder b = server.configure(SuhoClients.builder().serviceName("outcome-unknown-it")
                .meterRegistry(registry).resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder()
                        .timeout(Duration.ofSeconds(1)).build()));
        return b.endpoint(Store.ANALYTICS, proxy.endpoint()).build();
    }

    @Test
    void theSinkRetriesABatchWhoseAnswerIsLostAndCommitsAfterwards(
            @RealStore(StoreKind.CLICKHOUSE) StoreServer server, @RealStore(StoreKind.KAFKA) StoreServer kafka)
            throws Exception {
        String run = Long.toHexString(System.nanoTime());
        String topic = "sink-unknown-" + run;
        String table = "sink_unknown_" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AnswerHoldingProxy proxy = new AnswerHoldingProxy(server.host(), server.port());
                SuhoClients suho = client(proxy, server, registry);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < ROWS; i++) {
                producer.send(EventCodec.toKafka(topic, Event.builder("fill").source("it").text("e" + i, "text/plain")
                        .build()));
            }
            producer.flush();
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            TableSpec spec = EventTable.spec(table);
            ch.createTable(spec); // the sink's own CREATE … IF NOT EXISTS is then a no-op
            ch.execute("SYSTEM STOP MERGES " + table);
            proxy.holdNextInserts(1);
            try (EventSink sink = EventSink.builder(ch).bootstrapServers(kafka.hostPort()).topic(topic)
                    .groupId("g-" + run).table(spec, EventTable.MAPPER).batch(ROWS, Duration.ofMillis(200))
                    .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).meterRegistry(registry, "sink-it")
                    .build()) {
                Thread thread = sink.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.rowsInserted() >= ROWS && sink.pending() == 0);
                assertThat(thread.isAlive()).as("the sink survives an unknown outcome").isTrue();
                assertThat(proxy.held()).isEqualTo(1);
                Counter failed = registry.find("suho.analytics.sink.batches").tag("outcome", "failed").counter();
                assertThat(failed).isNotNull();
                assertThat(failed.count()).isEqualTo(1);
            }
            long raw = ch.queryLong("SELECT count() FROM " + table, Map.of());
            long distinct = ch.queryLong("SELECT count() FROM " + table + " FINAL", Map.of());
            System.out.println("sink batch after a lost answer: raw_rows=" + raw + " after_final=" + distinct);
            assertThat(raw).isEqualTo(2L * ROWS); // the sink sends no dedup token: the replayed batch is written again
            assertThat(distinct).isEqualTo(ROWS);
            ch.execute("DROP TABLE " + table);
        }
    }
}
