package io.suho.pipelines;


import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.TableSpec;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rows ClickHouse refuses (a value that is not a number for a UInt32 column) fail their batch; the sink retries the
 * batch row by row, dead-letters exactly the bad rows and writes the good ones, and commits only after that.
 */
class EventSinkPoisonIT {

    @Test
    void rowsTheServerRejectsAreDeadLetteredAndTheRestOfTheirBatchIsWritten(
            @RealStore(StoreKind.CLICKHOUSE) StoreServer chServer, @RealStore(StoreKind.KAFKA) StoreServer kafka)
            throws Exception {
        String run = Long.toHexString(System.nanoTime());
        String topic = "sink-poison-" + run;
        String table = "sink_poison_" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (SuhoClients suho = chServer.configure(SuhoClients.builder().serviceName("sink-poison-it")).build();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            for (int i = 0; i < 100; i++) {
                String qty = i % 25 == 7 ? "lots" : Integer.toString(i); // 4 of 100 are not numbers
                producer.send(EventCodec.toKafka(topic, Event.builder("fill").source("it").text(qty, "text/plain")
                        .build()));
            }
            producer.flush();
            TableSpec spec = TableSpec.builder(table).column("event_id", "String").column("qty", "UInt32")
                    .orderBy("event_id").build();
            // the mapper passes the text through: ClickHouse, not the mapper, rejects "lots"
            EventRowMapper mapper = (e, origin, row) -> row.put("event_id", e.id().toString())
                    .put("qty", e.payloadText());
            try (EventSink sink = EventSink.builder(ch).bootstrapServers(kafka.hostPort()).topic(topic)
                    .groupId("g-" + run).table(spec, mapper).deadLetterTopic(topic + ".dlq")
                    .batch(1000, Duration.ofMillis(200)).build()) {
                sink.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.rowsInserted() + sink.deadLettered() >= 100);
                assertThat(sink.deadLettered()).isEqualTo(4);
                assertThat(sink.lag()).isZero();
            }
            assertThat(ch.queryLong("SELECT count() FROM " + table, Map.of())).isEqualTo(96);
            ch.execute("DROP TABLE " + table);
        }
    }
}
