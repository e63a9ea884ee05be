package io.suho.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.TopicSpec;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code --store kafka}: the SDK's KafkaClient against a raw KafkaProducer with the same settings (idempotent,
 * acks=all, lz4, linger.ms=5, batch 64 KiB, the same timeouts). Both sides send the same envelope
 * ({@link EventCodec}). {@code kafka_send_ack} waits for each ack; {@code kafka_send_async_throughput} sends 1000
 * events asynchronously per call and waits for all acks.
 */
public final class KafkaSuite implements BenchmarkSuite {
    private SuhoClients suho;
    private KafkaProducer<byte[], byte[]> raw;
    private String topic;
    private Properties connection;

    @Override
    public String store() {
        return "kafka";
    }

    /** A raw producer configured like the SDK's. */
    static KafkaProducer<byte[], byte[]> rawProducer(Properties connection, Duration timeout) {
        Map<String, Object> p = new HashMap<>();
        connection.forEach((k, v) -> p.put((String) k, v));
        int ms = (int) timeout.toMillis();
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("compression.type", "lz4");
        p.put("linger.ms", "5");
        p.put("batch.size", "65536");
        p.put("max.block.ms", ms);
        p.put("request.timeout.ms", ms / 2);
        p.put("delivery.timeout.ms", ms + 5);
        p.put("reconnect.backoff.max.ms", 500);
        p.put("metadata.recovery.strategy", "rebootstrap");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public List<BenchOperation> setUp(BenchContext ctx) throws Exception {
        StoreResolver.Resolution r = StoreResolver.resolve(StoreKind.KAFKA);
        if (!r.available()) {
            throw new IllegalStateException("no Kafka server: " + r.reason());
        }
        StoreServer server = r.server();
        suho = server.configure(SuhoClients.builder().serviceName("bench"))
                .environment(Map.of()).meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(Files.createTempDirectory("bench-kafka").resolve("endpoints.json"))
                .set("suho.kafka.timeout", "5s")
                .build();
        KafkaClient kafka = suho.get(KafkaClient.class);
        connection = kafka.connectionProperties();
        raw = rawProducer(connection, Duration.ofSeconds(5));
        topic = "bench-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        kafka.ensureTopic(TopicSpec.of(topic).withRetention(Duration.ofHours(1)));
        byte[] json = ("{\"order\":\"o-1\",\"qty\":3,\"px\":101.25,\"pad\":\"" + "x".repeat(120) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        int batch = Integer.parseInt(ctx.arg("async-batch", "1000"));

        List<BenchOperation> ops = new ArrayList<>();
        ops.add(BenchOperation.of("kafka_send_ack", () -> kafka.sendAndWait(topic, event(json)),
                () -> raw.send(EventCodec.toKafka(topic, event(json))).get(10, TimeUnit.SECONDS)));
        ops.add(new BenchOperation("kafka_send_async_throughput", () -> {
            CompletableFuture<?>[] fs = new CompletableFuture<?>[batch];
            for (int i = 0; i < batch; i++) {
                fs[i] = kafka.send(topic, event(json)).toCompletableFuture();
            }
            CompletableFuture.allOf(fs).get(30, TimeUnit.SECONDS);
        }, () -> {
            CompletableFuture<?>[] fs = new CompletableFuture<?>[batch];
            for (int i = 0; i < batch; i++) {
                CompletableFuture<Object> f = new CompletableFuture<>();
                raw.send(EventCodec.toKafka(topic, event(json)), (md, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(md);
                    }
                });
                fs[i] = f;
            }
            CompletableFuture.allOf(fs).get(30, TimeUnit.SECONDS);
        }, 1, batch));
        return ops;
    }

    private static Event event(byte[] json) {
        return Event.builder("order.created").source("bench").key("o-1").payload(json, Event.JSON).build();
    }

    @Override
    public void close() throws Exception {
        if (raw != null) {
            raw.close(Duration.ofSeconds(5));
        }
        if (connection != null && topic != null) {
            try (AdminClient admin = AdminClient.create(connection)) {
                admin.deleteTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("could not delete bench topic " + topic + ": " + e);
            }
        }
        if (suho != null) {
            suho.close();
        }
    }
}
