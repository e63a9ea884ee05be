package io.suho.bench.drill;

import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.TopicSpec;
import io.suho.events.Event;
import io.suho.test.StoreKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Drill on Kafka: one {@code sendAndWait} per id (record key = the id, {@code ce_id} derived from it, so a retried id
 * is the same event), and a read of the whole topic to account. A re-send of an ambiguous id from the same client
 * joins the first attempt still in the idempotent producer; {@code duplicates} counts every extra record on the
 * topic, i.e. what a consumer would have to drop by {@code ce_id}.
 */
public final class KafkaDrillTarget extends SuhoDrillTarget {
    private KafkaClient kafka;
    private String topic;
    private Admin admin;
    private Admin probe;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public StoreKind kind() {
        return StoreKind.KAFKA;
    }

    @Override
    public void setUp() {
        kafka = connect(StoreKind.KAFKA).get(KafkaClient.class);
        topic = "drill-" + run;
        kafka.ensureTopic(TopicSpec.of(topic).withRetention(Duration.ofHours(1)));
        Properties p = kafka.connectionProperties();
        p.put("request.timeout.ms", "1000");
        p.put("default.api.timeout.ms", "1000");
        admin = Admin.create(p);
        probe = NativeReady.kafkaAdmin();
    }

    @Override
    public void write(String id) {
        kafka.sendAndWait(topic, Event.builder("drill.write")
                .id(UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8))).source("drill-kafka").key(id)
                .text(id, "text/plain").build());
    }

    /**
     * A topic has no read by key and the SDK no read path for Kafka: the read is the topic's end offsets, asked of the
     * broker with a plain admin client (1 s timeout). The topic is read back whole in {@link #account}.
     */
    @Override
    public void read(String id) throws Exception {
        admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()),
                new ListOffsetsOptions().timeoutMs(1000)).all().get(1, TimeUnit.SECONDS);
    }

    @Override
    public boolean nativeReady() {
        return NativeReady.kafka(probe);
    }

    @Override
    public Account account(Set<String> ids) {
        Properties p = kafka.connectionProperties();
        p.put("group.id", "drill-account-" + run);
        p.put("enable.auto.commit", "false");
        Set<String> stored = new HashSet<>();
        long total = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, pi.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    stored.add(new String(r.key(), StandardCharsets.UTF_8));
                    total++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "[drill] topic %s: %d records, %d distinct ids (ce_id)%n", topic, total,
                stored.size());
        // the topic has no dedup after the idempotent producer: what is stored is what a reader gets (a consumer
        // can still drop copies by ce_id, which would make any figure 0 by construction)
        return new Account(stored, total - stored.size(), total - stored.size());
    }

    @Override
    public void close() {
        for (Admin a : new Admin[] {admin, probe}) {
            if (a != null) {
                a.close(Duration.ofSeconds(2));
            }
        }
        if (kafka != null && topic != null) {
            try (AdminClient admin = AdminClient.create(kafka.connectionProperties())) {
                admin.deleteTopics(List.of(topic)).all().get();
            } catch (Exception e) {
                System.out.println("[drill] could not delete topic " + topic + ": " + e);
            }
        }
        super.close();
    }
}
