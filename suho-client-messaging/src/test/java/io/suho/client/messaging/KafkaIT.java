package io.suho.client.messaging;

import io.suho.events.DeadLetters;
import io.suho.events.Event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class KafkaIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    static SuhoClients clients(StoreServer kafka) {
        return kafka.configure(SuhoClients.builder().serviceName("kafka-it")).build();
    }

    /** Reads everything currently in {@code topic} with a throwaway raw consumer. */
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

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void ensureTopicAppliesSeedDefaultsAndIsIdempotent(@RealStore(StoreKind.KAFKA) StoreServer server)
            throws Exception {
        try (SuhoClients suho = clients(server)) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-ensure";
            assertThat(kafka.ensureTopic(TopicSpec.of(topic))).isTrue();
            assertThat(kafka.ensureTopic(TopicSpec.of(topic))).isFalse();
            assertThat(kafka.ensureTopic(TopicSpec.of(topic).withRetention(Duration.ofHours(1)))).isTrue();
            try (AdminClient admin = AdminClient.create(kafka.connectionProperties())) {
                assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                        .hasSize(6);
                ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                // the broker applies altered configs asynchronously
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Config cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
                    assertThat(cfg.get("retention.ms").value()).isEqualTo("3600000");
                });
            }
            assertThat(suho.health(Store.KAFKA).status()).isEqualTo(HealthStatus.UP);
        }
    }

    @Test
    void sentEventCarriesTheEnvelopeHeaders(@RealStore(StoreKind.KAFKA) StoreServer server) {
        try (SuhoClients suho = clients(server)) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-envelope";
            kafka.ensureTopic(TopicSpec.of(topic));
            Event e = Event.builder("trade.executed").source("kafka-it").key("BTC-USD").header("tenant", "t1")
                    .json(Map.of("px", 101.5)).build();
            RecordMetadata md = kafka.sendAndWait(topic, e);
            assertThat(md.offset()).isGreaterThanOrEqualTo(0);
            List<ConsumerRecord<byte[], byte[]>> got = readAll(kafka, topic, 1);
            assertThat(got).hasSize(1);
            ConsumerRecord<byte[], byte[]> r = got.get(0);
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(r, "ce_id")).isEqualTo(e.id().toString());
            assertThat(header(r, "content-type")).isEqualTo("application/json");
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("BTC-USD");
            assertThat(Event.fromKafka(r)).isEqualTo(e);
        }
    }

    @Test
    void consumerCommitsOnlyAfterSuccessAndAReplacementResumesThere(@RealStore(StoreKind.KAFKA) StoreServer server)
            throws Exception {
        try (SuhoClients suho = clients(server)) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-commit";
            String group = "it-" + RUN + "-commit-group";
            kafka.ensureTopic(TopicSpec.of(topic).withPartitions(1));
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Event e = Event.builder("order.created").source("kafka-it").key("k").text("e" + i, "text/plain")
                        .build();
                events.add(e);
                kafka.sendAndWait(topic, e);
            }
            Set<String> firstRun = ConcurrentHashMap.newKeySet();
            // The first member "crashes" (an Error escapes its handler) while processing e1.
            EventConsumer first = kafka.consume(KafkaConsumerSpec.of(group, topic).withMaxPollRecords(10), ev -> {
                if (ev.payloadText().equals("e1")) {
                    throw new AssertionError("simulated crash in the handler");
                }
                firstRun.add(ev.payloadText());
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> !first.isRunning());
            first.close();
            assertThat(firstRun).containsExactly("e0");
            try (AdminClient admin = AdminClient.create(kafka.connectionProperties())) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                assertThat(committed.get(new TopicPartition(topic, 0)).offset()).isEqualTo(1L);
            }
            Set<String> secondRun = ConcurrentHashMap.newKeySet();
            try (EventConsumer second = kafka.consume(KafkaConsumerSpec.of(group, topic), ev ->
                    secondRun.add(ev.payloadText()))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> secondRun.size() == 2);
                assertThat(secondRun).containsExactlyInAnyOrder("e1", "e2");
            }
        }
    }

    @Test
    void failingRecordGoesToTheDeadLetterTopicWithErrorHeaders(@RealStore(StoreKind.KAFKA) StoreServer server) {
        try (SuhoClients suho = clients(server)) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-dlq";
            kafka.ensureTopic(TopicSpec.of(topic).withPartitions(1));
            Event good = Event.builder("order.created").source("kafka-it").text("good", "text/plain").build();
            Event bad = Event.builder("order.created").source("kafka-it").text("bad", "text/plain").build();
            kafka.sendAndWait(topic, bad);
            kafka.sendAndWait(topic, good);
            Set<String> ok = ConcurrentHashMap.newKeySet();
            KafkaConsumerSpec spec = KafkaConsumerSpec.of("it-" + RUN + "-dlq-group", topic).withMaxAttempts(2)
                    .withRetryBackoff(Duration.ofMillis(20));
            try (EventConsumer c = kafka.consume(spec, ev -> {
                if (ev.payloadText().equals("bad")) {
                    throw new IllegalStateException("price missing for " + ev.id());
                }
                ok.add(ev.id().toString());
            })) {
                await().atMost(Duration.ofSeconds(30)).until(() -> c.deadLettered() == 1 && c.handled() == 1);
            }
            assertThat(ok).containsExactly(good.id().toString());
            List<ConsumerRecord<byte[], byte[]>> dead = readAll(kafka, spec.effectiveDeadLetterTopic(), 1);
            assertThat(dead).hasSize(1);
            ConsumerRecord<byte[], byte[]> d = dead.get(0);
            assertThat(Event.fromKafka(d)).isEqualTo(bad);
            assertThat(header(d, DeadLetters.ERROR_CLASS)).isEqualTo(IllegalStateException.class.getName());
            assertThat(header(d, DeadLetters.ERROR_MESSAGE)).contains("price missing");
            assertThat(header(d, DeadLetters.ATTEMPTS)).isEqualTo("2");
            assertThat(header(d, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(topic);
            assertThat(header(d, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("0");
        }
    }

    @Test
    void executeRunsANativeCallCountedUnderItsOperation(@RealStore(StoreKind.KAFKA) StoreServer server) {
        try (SuhoClients suho = server.configure(SuhoClients.builder().serviceName("kafka-it")
                .meterRegistry(new SimpleMeterRegistry())).build()) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-native";
            kafka.ensureTopic(TopicSpec.of(topic).withPartitions(2));
            List<PartitionInfo> parts = kafka.execute("it_partitions_for", true, p -> p.partitionsFor(topic));
            assertThat(parts).hasSize(2);
            RecordMetadata md = kafka.execute("it_send_get", false, p -> p.send(new ProducerRecord<>(topic,
                    "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS));
            assertThat(md.offset()).isGreaterThanOrEqualTo(0);
            assertThat(readAll(kafka, topic, 1)).hasSize(1);
            assertThat(NatsIT.requests(suho, Store.KAFKA, "it_partitions_for", "success")).isEqualTo(1);
            assertThat(NatsIT.requests(suho, Store.KAFKA, "it_send_get", "success")).isEqualTo(1);
        }
    }

    @Test
    void aRecordTooLargeIsRejectedWithoutOpeningTheBreaker(@RealStore(StoreKind.KAFKA) StoreServer server) {
        try (SuhoClients suho = clients(server)) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-large";
            kafka.ensureTopic(TopicSpec.of(topic).withPartitions(1));
            ProducerRecord<byte[], byte[]> huge = new ProducerRecord<>(topic, new byte[2 * 1024 * 1024]);
            for (int i = 0; i < 8; i++) { // more than the breaker's failure threshold
                assertThatThrownBy(() -> kafka.send(huge).toCompletableFuture().join())
                        .hasCauseInstanceOf(StoreOperationException.class)
                        .cause().satisfies(e -> assertThat(((StoreOperationException) e).errorCode())
                                .isEqualTo("MESSAGE_TOO_LARGE"));
            }
            assertThat(suho.breakerStates().get(Store.KAFKA)).isEqualTo("CLOSED");
        }
    }

    @Test
    void anOpenBreakerRejectsExecuteWithoutRunningTheCall() {
        // no server needed: port 1 refuses, so the producer never gets metadata
        try (SuhoClients suho = SuhoClients.builder().serviceName("kafka-it-refused")
                .meterRegistry(new SimpleMeterRegistry()).endpoint(Store.KAFKA, "127.0.0.1:1")
                .set("suho.kafka.timeout", "300ms").set("suho.kafka.breaker.failure-threshold", "2")
                .set("suho.kafka.breaker.window", "2").set("suho.kafka.breaker.delay", "1m").build()) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            Event e = Event.builder("order.created").source("kafka-it").build();
            // no metadata within max.block.ms: the record was never appended, so it is not sent (not ambiguous)
            assertThatThrownBy(() -> kafka.sendAndWait("it-refused", e))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            u -> assertThat(u.breakerOpen()).isFalse())
                    .isNotInstanceOf(AmbiguousPublishException.class)
                    .hasMessageContaining("kafka_send was not sent").hasMessageContaining("not present in metadata");
            assertThatThrownBy(() -> kafka.execute("it_partitions_for", false, p -> p.partitionsFor("it-refused")))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            u -> assertThat(u.breakerOpen()).isFalse())
                    .hasMessageContaining("it_partitions_for was not sent");
            assertThat(suho.breakerStates().get(Store.KAFKA)).isEqualTo("OPEN");

            AtomicBoolean ran = new AtomicBoolean();
            assertThatThrownBy(() -> kafka.execute("it_partitions_for", false, p -> {
                ran.set(true);
                return p.partitionsFor("it-refused");
            })).isInstanceOfSatisfying(StoreUnavailableException.class, u -> assertThat(u.breakerOpen()).isTrue());
            assertThat(ran).isFalse();
            assertThat(NatsIT.requests(suho, Store.KAFKA, "it_partitions_for", "rejected")).isEqualTo(1);
            assertThat(NatsIT.requests(suho, Store.KAFKA, "it_partitions_for", "error")).isEqualTo(1);
        }
    }
}
