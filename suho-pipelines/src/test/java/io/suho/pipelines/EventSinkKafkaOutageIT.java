package io.suho.pipelines;


import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.QueryOptions;
import io.suho.client.core.SuhoClients;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
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
 * Kafka stopped under the running sink: the sink holds a polled, not yet committed batch when the broker goes away;
 * it writes the batch, cannot commit, reopens its consumer at the committed offsets once Kafka is back and replays.
 * Afterwards ClickHouse holds every produced event id exactly once after {@code FINAL} / {@code argMax}, none
 * missing (the raw table may hold the replayed copies). Kafka is always started again.
 */
class EventSinkKafkaOutageIT {

    @Test
    void resumesFromCommittedOffsetsAfterKafkaStops(@RealStore(StoreKind.CLICKHOUSE) StoreServer chServer,
            @RealStore(StoreKind.KAFKA) StoreServer kafka) throws Exception {
        kafka.requireLocal("resumesFromCommittedOffsetsAfterKafkaStops", "stop Kafka");
        String run = Long.toHexString(System.nanoTime());
        String topic = "sink-kafka-outage-" + run;
        String table = "sink_kafka_outage_" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            ids.add(Event.newId().toString());
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = chServer.configure(SuhoClients.builder().serviceName("sink-kafka-outage")
                .meterRegistry(registry)).build()) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            // a batch waits up to 3 s for rows, so the stop below finds one polled but not committed
            EventSink sink = EventSink.builder(ch).bootstrapServers(kafka.hostPort()).topic(topic)
                    .groupId("sink-kafka-outage-" + run).table(EventTable.spec(table), EventTable.MAPPER)
                    .batch(100_000, Duration.ofSeconds(3)).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .commitTimeout(Duration.ofSeconds(3))
                    .kafkaProperty("session.timeout.ms", "6000").kafkaProperty("heartbeat.interval.ms", "1000")
                    .kafkaProperty("reconnect.backoff.max.ms", "500")
                    .meterRegistry(registry, "sink-kafka-outage").build();
            sink.start();
            try {
                try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                    produce(producer, topic, ids.subList(0, 1000));
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                            .until(() -> distinct(ch, table) == 1000);
                    produce(producer, topic, ids.subList(1000, 2000));
                }
                // the second thousand is polled and waits in the sink's batch: not in ClickHouse, not committed
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                        .until(() -> sink.pending() >= 1000);
                long insertedBeforeStop = sink.rowsInserted();
                assertThat(distinct(ch, table)).as("the pending thousand is not in ClickHouse yet").isEqualTo(1000);
                try {
                    LocalStack.down(StoreKind.KAFKA);
                    // Kafka stays down until the sink has written the pending batch: its commit must then fail
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                            .until(() -> distinct(ch, table) == 2000);
                    // the commit (timeout 3 s) fails against the stopped broker and the sink reopens its consumer
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                            .until(() -> sink.pending() == 0);
                    System.out.println("Kafka stopped with " + insertedBeforeStop + " rows inserted before, "
                            + sink.rowsInserted() + " now, " + distinct(ch, table) + " distinct ids in ClickHouse");
                } finally {
                    LocalStack.up(StoreKind.KAFKA);
                }
                produceUntilAcked(kafka, topic, ids.subList(2000, 3000));
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> distinct(ch, table) == ids.size() && sink.lag() == 0);
            } finally {
                sink.close();
                if (!LocalStack.reachable(StoreKind.KAFKA)) {
                    LocalStack.up(StoreKind.KAFKA);
                }
            }

            long raw = ch.queryLong("SELECT count() FROM " + table, Map.of());
            long fin = ch.queryLong("SELECT count() FROM " + table + " FINAL", Map.of());
            long finDuplicates = ch.queryLong("SELECT count() FROM (SELECT event_id, count() AS c FROM " + table
                    + " FINAL GROUP BY event_id HAVING c > 1)", Map.of());
            long argMax = ch.queryLong("SELECT count() FROM (SELECT event_id, argMax(payload, ingested_at) FROM "
                    + table + " GROUP BY event_id)", Map.of());
            Set<String> stored = new HashSet<>();
            ch.stream("SELECT DISTINCT event_id FROM " + table, Map.of(), QueryOptions.defaults(),
                    r -> r.getString(0), stored::add);
            long missing = ids.stream().filter(id -> !stored.contains(id)).count();
            long foreign = stored.stream().filter(id -> !ids.contains(id)).count();
            System.out.printf("RESULT sink-kafka-outage produced=%d raw_rows=%d replayed_copies=%d after_final=%d "
                    + "argmax_groups=%d missing=%d%n", ids.size(), raw, raw - stored.size(), fin, argMax, missing);
            assertThat(missing).isZero();
            assertThat(foreign).isZero();
            // the batch written while Kafka was down was never committed, so it was read and written again: every id
            // of the second thousand has a replayed copy in the raw table (before FINAL), and only those need one
            Map<String, Long> copies = new java.util.HashMap<>();
            ch.stream("SELECT event_id, count() FROM " + table + " GROUP BY event_id", Map.of(),
                    QueryOptions.defaults(), r -> Map.entry(r.getString(0), r.getLong(1)),
                    e -> copies.put(e.getKey(), e.getValue()));
            long replayedOfPending = ids.subList(1000, 2000).stream().filter(id -> copies.get(id) >= 2).count();
            assertThat(replayedOfPending).as("ids of the uncommitted batch written again after Kafka returned")
                    .isEqualTo(1000);
            assertThat(raw).isGreaterThanOrEqualTo(ids.size() + 1000L);
            assertThat(sink.rowsInserted()).isGreaterThanOrEqualTo(ids.size() + 1000L);
            assertThat(fin).isEqualTo(ids.size());
            assertThat(finDuplicates).isZero();
            assertThat(argMax).isEqualTo(ids.size());
            ch.execute("DROP TABLE IF EXISTS " + table);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort()))) {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long distinct(AnalyticsClient ch, String table) {
        return ch.queryLong("SELECT uniqExact(event_id) FROM " + table, Map.of());
    }

    private static KafkaProducer<byte[], byte[]> producer(StoreServer kafka) {
        return producer(kafka, new Properties());
    }

    private static KafkaProducer<byte[], byte[]> producer(StoreServer kafka, Properties extra) {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /**
     * Right after a broker restart a producer can be refused with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery
     * timeout; the sink must cope with whatever reaches the topic, so the test re-sends what was not acked from a new
     * producer (re-sent ids are duplicates the ReplacingMergeTree removes — exactly what this test checks).
     */
    private static void produceUntilAcked(StoreServer kafka, String topic, List<String> ids) throws Exception {
        List<String> pending = ids;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            Properties p = new Properties();
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            List<String> failed = new java.util.ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka, p)) {
                List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
                for (String id : pending) {
                    acks.add(producer.send(EventCodec.toKafka(topic, event(id))));
                }
                producer.flush();
                for (int i = 0; i < acks.size(); i++) {
                    try {
                        acks.get(i).get();
                    } catch (java.util.concurrent.ExecutionException notAcked) {
                        failed.add(pending.get(i));
                    }
                }
            }
            if (!failed.isEmpty()) {
                System.out.println("attempt " + attempt + ": " + failed.size() + " records not acked; re-sending");
                if (attempt >= 10) {
                    throw new AssertionError(failed.size() + " records still not acked after 10 producers");
                }
            }
            pending = failed;
        }
    }

    private static Event event(String id) {
        return Event.builder("trade.executed").id(UUID.fromString(id)).source("sink-kafka-outage")
                .key("SYM" + (id.hashCode() & 31)).json(Map.of("id", id, "qty", 1)).build();
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, String topic, List<String> ids) {
        for (String id : ids) {
            producer.send(EventCodec.toKafka(topic, event(id)));
        }
        producer.flush();
    }
}
