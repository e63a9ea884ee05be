package io.suho.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.suho.client.core.SuhoClients;
import io.suho.events.DeadLetters;
import io.suho.events.Event;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Raw-record and batch consumers against the local Kafka: records that are not Suho envelopes reach a
 * {@link RecordHandler} untouched, batch handlers get one partition's poll in order, a failing batch is retried whole
 * and then one record at a time, so only the record that fails alone is dead-lettered.
 */
class KafkaRawAndBatchIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rawRecordsOfAForeignProducerReachTheHandlerUntouchedAndFailuresAreDeadLettered(
            @RealStore(StoreKind.KAFKA) StoreServer server) throws Exception {
        try (SuhoClients suho = KafkaIT.clients(server)) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-debezium";
            kafka.ensureTopic(TopicSpec.of(topic).withPartitions(1));
            // a Debezium-style change event: no ce_* headers, a non-UUID key, a JSON value
            for (int i = 1; i <= 5; i++) {
                RecordHeaders h = new RecordHeaders();
                h.add("__op", utf8(i == 4 ? "d" : "c"));
                String value = "{\"before\":null,\"after\":{\"id\":" + i + "},\"op\":\"" + (i == 4 ? "d" : "c")
                        + "\"}";
                kafka.send(new ProducerRecord<>(topic, null, utf8("{\"id\":" + i + "}"), utf8(value), h))
                        .toCompletableFuture().get();
            }
            List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();
            AtomicInteger deleteAttempts = new AtomicInteger();
            KafkaConsumerSpec spec = KafkaConsumerSpec.of("it-" + RUN + "-cdc", topic).withMaxAttempts(2)
                    .withRetryBackoff(Duration.ofMillis(20));
            try (EventConsumer consumer = kafka.consumeRecords(spec, r -> {
                if (KafkaIT.header(r, "__op").equals("d")) {
                    deleteAttempts.incrementAndGet();
                    throw new IllegalStateException("deletes are not supported yet");
                }
                seen.add(r);
            })) {
                await().atMost(Duration.ofSeconds(30)).until(() -> consumer.handled() == 4
                        && consumer.deadLettered() == 1);
            }
            assertThat(seen).extracting(r -> text(r.key())).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}",
                    "{\"id\":5}");
            assertThat(text(seen.get(0).value())).isEqualTo("{\"before\":null,\"after\":{\"id\":1},\"op\":\"c\"}");
            assertThat(seen).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L, 4L);
            assertThat(deleteAttempts.get()).isEqualTo(2);

            List<ConsumerRecord<byte[], byte[]>> dead = KafkaIT.readAll(kafka, spec.effectiveDeadLetterTopic(), 1);
            assertThat(dead).hasSize(1);
            assertThat(text(dead.get(0).value())).contains("\"op\":\"d\"");
            assertThat(KafkaIT.header(dead.get(0), "__op")).isEqualTo("d");
            assertThat(KafkaIT.header(dead.get(0), DeadLetters.ERROR_MESSAGE)).contains("deletes are not supported");
            assertThat(KafkaIT.header(dead.get(0), DeadLetters.ORIGINAL_OFFSET)).isEqualTo("3");
        }
    }

    @Test
    void eventBatchesArriveInOrderAndAFailingBatchIsSplitSoOnlyThePoisonIsDeadLettered(
            @RealStore(StoreKind.KAFKA) StoreServer server) throws Exception {
        try (SuhoClients suho = KafkaIT.clients(server)) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-batches";
            kafka.ensureTopic(TopicSpec.of(topic).withPartitions(1));
            List<Event> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Event e = Event.builder("fill.booked").source("kafka-it").key("acct-1")
                        .text(i == 13 ? "poison" : "fill-" + i, "text/plain").build();
                sent.add(e);
                kafka.send(topic, e);
                if (i == 6) { // a record that is no Suho envelope, between two events
                    kafka.send(new ProducerRecord<>(topic, utf8("x"), utf8("not an event")));
                }
            }
            kafka.sendAndWait(topic, Event.builder("fill.booked").source("kafka-it").text("last", "text/plain")
                    .build());
            List<List<String>> batches = new CopyOnWriteArrayList<>();
            List<String> handled = new CopyOnWriteArrayList<>();
            KafkaConsumerSpec spec = KafkaConsumerSpec.of("it-" + RUN + "-batcher", topic).withMaxAttempts(2)
                    .withRetryBackoff(Duration.ofMillis(20)).withMaxPollRecords(8);
            try (EventConsumer consumer = kafka.consumeBatches(spec, events -> {
                List<String> texts = events.stream().map(Event::payloadText).toList();
                batches.add(texts);
                if (texts.contains("poison")) {
                    throw new IllegalArgumentException("cannot book a poison fill");
                }
                handled.addAll(texts);
            })) {
                await().atMost(Duration.ofSeconds(30)).until(() -> consumer.handled() == 20
                        && consumer.deadLettered() == 2);
            }
            List<String> expected = new ArrayList<>();
            sent.stream().map(Event::payloadText).filter(t -> !t.equals("poison")).forEach(expected::add);
            expected.add("last");
            assertThat(handled).as("every good event once, in offset order").containsExactlyElementsOf(expected);
            assertThat(batches).allSatisfy(b -> assertThat(b).isNotEmpty().hasSizeLessThanOrEqualTo(8));
            assertThat(batches).as("events arrive in batches, not one by one").anySatisfy(b ->
                    assertThat(b.size()).isGreaterThan(1));
            assertThat(batches).as("the poison's batch was retried whole, then handed over one at a time")
                    .filteredOn(b -> b.contains("poison")).hasSizeGreaterThanOrEqualTo(4)
                    .anySatisfy(b -> assertThat(b).containsExactly("poison"));

            List<ConsumerRecord<byte[], byte[]>> dead = KafkaIT.readAll(kafka, spec.effectiveDeadLetterTopic(), 2);
            assertThat(dead).extracting(r -> text(r.value())).containsExactlyInAnyOrder("not an event", "poison");
        }
    }

    @Test
    void rawRecordBatchesCarryTheRecords(@RealStore(StoreKind.KAFKA) StoreServer server) throws Exception {
        try (SuhoClients suho = KafkaIT.clients(server)) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            String topic = "it-" + RUN + "-rawbatch";
            kafka.ensureTopic(TopicSpec.of(topic).withPartitions(1));
            for (int i = 0; i < 6; i++) {
                kafka.send(new ProducerRecord<>(topic, utf8("k" + i), utf8("v" + i)));
            }
            kafka.send(new ProducerRecord<>(topic, utf8("k6"), utf8("v6"))).toCompletableFuture().get();
            List<String> values = new CopyOnWriteArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            try (EventConsumer consumer = kafka.consumeRecordBatches(
                    KafkaConsumerSpec.of("it-" + RUN + "-rawbatcher", topic), records -> {
                        calls.incrementAndGet();
                        records.forEach(r -> values.add(text(r.value())));
                    })) {
                await().atMost(Duration.ofSeconds(30)).until(() -> consumer.handled() == 7);
            }
            assertThat(values).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6");
            assertThat(calls.get()).isLessThan(7);
        }
    }
}
