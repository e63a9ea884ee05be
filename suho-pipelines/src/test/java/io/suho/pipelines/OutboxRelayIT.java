package io.suho.pipelines;


import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.TopicSpec;
import io.suho.client.postgres.PostgresClient;
import io.suho.events.Event;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OutboxRelayIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    static SuhoClients clients(StoreServer pg, StoreServer kafka, String name) {
        return kafka.configure(pg.configure(SuhoClients.builder().serviceName(name))).build();
    }

    /** Every record of {@code topic}: a fresh group reads until {@code expectAtLeast} came and two polls were empty. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaClient kafka, String topic, int expectAtLeast) {
        Properties p = kafka.connectionProperties();
        p.put("group.id", "it-reader-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (out.size() < expectAtLeast || emptyPolls < 2)) {
                var records = c.poll(Duration.ofMillis(500));
                records.forEach(out::add);
                emptyPolls = records.isEmpty() && out.size() >= expectAtLeast ? emptyPolls + 1 : 0;
            }
        }
        return out;
    }

    @Test
    void twoConcurrentRelaysPublishEachRowExactlyOnce(@RealStore(StoreKind.POSTGRES) StoreServer pgServer,
            @RealStore(StoreKind.KAFKA) StoreServer kafkaServer) {
        String topic = "it-" + RUN + "-outbox";
        int rows = 600;
        try (SuhoClients a = clients(pgServer, kafkaServer, "relay-a");
                SuhoClients b = clients(pgServer, kafkaServer, "relay-b")) {
            PostgresClient pg = a.get(PostgresClient.class);
            KafkaClient kafka = a.get(KafkaClient.class);
            kafka.ensureTopic(TopicSpec.of(topic));
            List<UUID> ids = new ArrayList<>();
            for (int chunk = 0; chunk < rows / 100; chunk++) {
                int base = chunk * 100;
                ids.addAll(pg.inTransaction(tx -> {
                    List<UUID> out = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        out.add(pg.outbox().append(tx, topic, "acct-" + ((base + i) % 7), "order.booked",
                                ("{\"n\":" + (base + i) + "}").getBytes(StandardCharsets.UTF_8), Map.of("tenant", "t1")));
                    }
                    return out;
                }));
            }
            Set<String> only = Set.of(topic);
            try (OutboxRelay r1 = OutboxRelay.builder(a).topics(only).batchSize(50).start();
                    OutboxRelay r2 = OutboxRelay.builder(b).topics(only).batchSize(50).start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> pg.queryOne(
                        "SELECT count(*) FROM suho_outbox WHERE topic = ? AND sent_at IS NULL",
                        rs -> rs.getLong(1), topic).orElse(-1L) == 0L);
                assertThat(r1.publishedCount() + r2.publishedCount()).isEqualTo(rows);
                assertThat(r1.publishedCount()).isPositive();
                assertThat(r2.publishedCount()).isPositive();
                await().atMost(Duration.ofSeconds(5)).until(() -> r1.runOnce() == 0 && r1.lag().isZero());
            }
            List<ConsumerRecord<byte[], byte[]>> got = readAll(kafka, topic, rows);
            Set<UUID> seen = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : got) {
                Event e = Event.fromKafka(r);
                assertThat(seen.add(e.id())).as("duplicate %s", e.id()).isTrue();
                assertThat(e.type()).isEqualTo("order.booked");
                assertThat(e.headers()).containsEntry("tenant", "t1");
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void relayKilledBetweenPublishAndCommitRepublishesWithTheSameIds(
            @RealStore(StoreKind.POSTGRES) StoreServer pgServer, @RealStore(StoreKind.KAFKA) StoreServer kafkaServer) {
        String topic = "it-" + RUN + "-outbox-kill";
        int rows = 300;
        int batch = 50;
        try (SuhoClients suho = clients(pgServer, kafkaServer, "relay-kill")) {
            PostgresClient pg = suho.get(PostgresClient.class);
            KafkaClient kafka = suho.get(KafkaClient.class);
            kafka.ensureTopic(TopicSpec.of(topic));
            List<UUID> ids = pg.inTransaction(tx -> {
                List<UUID> out = new ArrayList<>();
                for (int i = 0; i < rows; i++) {
                    out.add(pg.outbox().append(tx, topic, "acct-" + (i % 7), "order.booked",
                            ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), Map.of()));
                }
                return out;
            });
            Set<String> only = Set.of(topic);
            // The relay's database connection dies after the batch was published to Kafka and before the
            // transaction that marks it sent commits — twice.
            AtomicInteger kills = new AtomicInteger();
            OutboxRelay killed = OutboxRelay.builder(suho).topics(only).batchSize(batch).afterPublish(tx -> {
                if (kills.getAndIncrement() < 2) {
                    tx.query("SELECT pg_terminate_backend(pg_backend_pid())", rs -> rs.getObject(1));
                }
            }).build();
            int crashes = 0;
            for (int i = 0; i < 2; i++) {
                try {
                    killed.runOnce();
                } catch (RuntimeException e) {
                    crashes++;
                }
            }
            killed.close();
            assertThat(crashes).as("relay runs that died before their commit").isPositive();
            assertThat(kills.get()).isGreaterThanOrEqualTo(2);
            try (OutboxRelay healthy = OutboxRelay.builder(suho).topics(only).batchSize(batch).start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> pg.queryOne(
                        "SELECT count(*) FROM suho_outbox WHERE topic = ? AND sent_at IS NULL",
                        rs -> rs.getLong(1), topic).orElse(-1L) == 0L);
            }
            List<ConsumerRecord<byte[], byte[]>> got = readAll(kafka, topic, rows);
            Map<UUID, Integer> copies = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : got) {
                copies.merge(Event.fromKafka(r).id(), 1, Integer::sum);
            }
            long duplicates = got.size() - copies.size();
            Set<UUID> lost = new HashSet<>(ids);
            lost.removeAll(copies.keySet());
            System.out.printf("RESULT outbox_relay_killed rows=%d kills=%d records=%d distinct_ce_id=%d "
                    + "duplicated=%d lost=%d%n", rows, Math.min(2, kills.get()), got.size(), copies.size(),
                    duplicates, lost.size());
            assertThat(lost).as("rows never published").isEmpty();
            // at least once: the killed batches went out again, with the same event ids ...
            assertThat(duplicates).isGreaterThanOrEqualTo(batch);
            assertThat(copies.values()).allMatch(n -> n <= 3);
            // ... so deduplicating on ce_id gives exactly the outbox rows
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        }
    }
}
