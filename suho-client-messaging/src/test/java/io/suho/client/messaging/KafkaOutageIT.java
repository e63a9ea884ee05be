package io.suho.client.messaging;

import io.suho.events.Event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.suho.client.core.SuhoClients;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker taken away under publish load (graceful stop, and SIGSTOP = a hung broker), with a consumer group
 * running: publishes fail fast once the breaker opens, everything resumes after the broker is back, no acked event
 * is lost, ambiguous ones re-sent with the same event leave no duplicate, and the consumer resumes from its committed
 * position. Outages are kept short: the local stack is shared.
 */
class KafkaOutageIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    @Test
    void brokerStoppedUnderLoad(@RealStore(StoreKind.KAFKA) StoreServer kafka) throws Exception {
        outage(kafka, "stop");
    }

    @Test
    void brokerPausedUnderLoad(@RealStore(StoreKind.KAFKA) StoreServer kafka) throws Exception {
        outage(kafka, "pause");
    }

    private void outage(StoreServer server, String mode) throws Exception {
        server.requireLocal("outage(" + mode + ")", mode + " Kafka");
        String topic = "it-" + RUN + "-outage-" + mode;
        String group = topic + "-group";
        try (SuhoClients suho = server.configure(SuhoClients.builder().serviceName("kafka-outage-it")).build()) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            kafka.ensureTopic(TopicSpec.of(topic).withPartitions(3).withRetention(Duration.ofHours(1)));
            Map<UUID, Integer> consumed = new ConcurrentHashMap<>();
            AtomicLong consumedRecords = new AtomicLong();
            EventConsumer consumer = kafka.consume(KafkaConsumerSpec.of(group, topic), e -> {
                consumed.merge(e.id(), 1, Integer::sum);
                consumedRecords.incrementAndGet();
            });
            OutageLoad load = new OutageLoad(3, 20, "order.created", e -> kafka.sendAndWait(topic, e));
            long ackedBefore;
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acked.size() >= 30
                        && consumed.size() >= 10);
                if (mode.equals("stop")) {
                    LocalStack.down(StoreKind.KAFKA);
                } else {
                    LocalStack.pause(StoreKind.KAFKA);
                }
                // the outage lasts until callers are being rejected by the open breaker (no network I/O)
                await().atMost(Duration.ofSeconds(20)).until(() -> load.breakerRejections.get() >= 20);
            } finally {
                if (mode.equals("stop")) {
                    LocalStack.up(StoreKind.KAFKA);
                } else {
                    LocalStack.resume(StoreKind.KAFKA);
                }
            }
            ackedBefore = load.acked.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.acked.size() >= ackedBefore + 30);
            load.stop();
            await().atMost(Duration.ofSeconds(30)).until(load::settleAmbiguous);

            Set<UUID> acked = load.mustExist();
            // every acked id reaches the consumer group (it resumed after the outage)
            await().atMost(Duration.ofSeconds(60)).until(() -> consumed.keySet().containsAll(acked));
            consumer.close();

            List<ConsumerRecord<byte[], byte[]>> all = KafkaIT.readAll(kafka, topic, acked.size());
            Map<UUID, Integer> copies = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : all) {
                copies.merge(Event.fromKafka(r).id(), 1, Integer::sum);
            }
            Set<UUID> lost = new HashSet<>(acked);
            lost.removeAll(copies.keySet());
            long duplicates = all.size() - copies.size();
            long redelivered = consumedRecords.get() - consumed.size();
            System.out.printf("RESULT kafka_outage mode=%s sent=%d acked=%d ambiguous=%d rejected=%d "
                    + "breaker_rejections=%d records=%d distinct=%d duplicated=%d lost=%d consumer_redelivered=%d "
                    + "errors=%s%n", mode, load.sent.size(), acked.size(), load.everAmbiguous.size(),
                    load.rejected.get(), load.breakerRejections.get(), all.size(), copies.size(), duplicates,
                    lost.size(), redelivered, load.errors);

            assertThat(load.failures.get()).as("publishes failed during the outage").isPositive();
            assertThat(lost).as("acked but not in the topic").isEmpty();
            assertThat(copies.keySet()).as("only events the test sent").isSubsetOf(load.sent.keySet());
            assertThat(acked).containsAll(load.everAmbiguous); // every ambiguous one was settled by a re-send
            // re-sends of ambiguous events joined their first attempt in the producer: no second record
            assertThat(duplicates).as("duplicate records").isZero();
            try (AdminClient admin = AdminClient.create(kafka.connectionProperties())) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                assertThat(ends.values().stream().mapToLong(e -> e.offset()).sum()).isEqualTo(all.size());
                committed.forEach((tp, om) -> assertThat(om.offset()).as("committed position of %s", tp)
                        .isEqualTo(ends.get(tp).offset()));
            }
        }
    }
}
