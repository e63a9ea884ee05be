package io.suho.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.EventPublisher;
import io.suho.client.messaging.HybridPolicy;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.StreamSpec;
import io.suho.client.messaging.TopicSpec;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code --store nats}: the SDK's NatsClient against a raw jnats connection with the same options (reconnect
 * forever, 250 ms reconnect wait, 1 s timeouts). Both sides build the same {@link Event} and envelope
 * ({@link EventCodec}), so the difference is the SDK path (breaker, timer, ambiguity tracking). {@code hybrid_publish}
 * compares {@code EventPublisher.publish(BOTH)} with a raw JetStream publish plus a raw idempotent KafkaProducer send
 * in parallel; it needs Kafka too.
 */
public final class NatsSuite implements BenchmarkSuite {
    private SuhoClients suho;
    private Connection raw;
    private KafkaProducer<byte[], byte[]> rawKafka;
    private String stream;

    @Override
    public String store() {
        return "nats";
    }

    @Override
    public List<BenchOperation> setUp(BenchContext ctx) throws Exception {
        StoreResolver.Resolution r = StoreResolver.resolve(StoreKind.NATS);
        if (!r.available()) {
            throw new IllegalStateException("no NATS server: " + r.reason());
        }
        StoreServer server = r.server();
        StoreResolver.Resolution k = StoreResolver.resolve(StoreKind.KAFKA);
        SuhoClients.Builder b = server.configure(SuhoClients.builder().serviceName("bench"))
                .environment(Map.of()).meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(Files.createTempDirectory("bench-nats").resolve("endpoints.json"))
                .set("suho.nats.timeout", "1s");
        if (k.available()) {
            k.server().configure(b);
        }
        suho = b.build();
        NatsClient nats = suho.get(NatsClient.class);
        raw = Nats.connect(new Options.Builder().server(server.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250)).connectionTimeout(Duration.ofSeconds(1)).build());
        JetStream js = raw.jetStream(JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(1)).build());

        String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String subject = "bench." + run + ".signal";
        String reqSubject = "bench." + run + ".req";
        String jsSubject = "bench-" + run + ".orders";
        stream = "BENCH_" + run;
        nats.ensureStream(StreamSpec.of(stream, jsSubject).withMaxAge(Duration.ofMinutes(30)));
        Dispatcher echo = raw.createDispatcher(m -> raw.publish(m.getReplyTo(), m.getData()));
        echo.subscribe(reqSubject);
        raw.flush(Duration.ofSeconds(2));
        byte[] payload = new byte[128];
        byte[] json = "{\"order\":\"o-1\",\"qty\":3,\"px\":101.25}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        List<BenchOperation> ops = new ArrayList<>();
        ops.add(BenchOperation.of("nats_publish", () -> nats.publish(subject, payload),
                () -> raw.publish(subject, payload)));
        ops.add(BenchOperation.of("nats_request", () -> nats.request(reqSubject, payload),
                () -> {
                    if (raw.request(reqSubject, payload, Duration.ofSeconds(1)) == null) {
                        throw new IllegalStateException("no reply");
                    }
                }));
        ops.add(BenchOperation.of("js_publish_ack",
                () -> nats.jsPublish(jsSubject, event(json)),
                () -> {
                    Event e = event(json);
                    js.publish(EventCodec.toNats(jsSubject, e), PublishOptions.builder()
                            .streamTimeout(Duration.ofSeconds(1)).messageId(e.id().toString()).build());
                }));
        if (k.available()) {
            KafkaClient kafka = suho.get(KafkaClient.class);
            kafka.ensureTopic(TopicSpec.of(jsSubject).withRetention(Duration.ofHours(1)));
            rawKafka = KafkaSuite.rawProducer(kafka.connectionProperties(), Duration.ofSeconds(5));
            EventPublisher events = suho.get(EventPublisher.class);
            ops.add(BenchOperation.of("hybrid_publish",
                    () -> events.publish(jsSubject, event(json), HybridPolicy.BOTH).orThrow(),
                    () -> {
                        Event e = event(json);
                        CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
                        rawKafka.send(EventCodec.toKafka(jsSubject, e), (md, ex) -> {
                            if (ex != null) {
                                f.completeExceptionally(ex);
                            } else {
                                f.complete(md);
                            }
                        });
                        js.publish(EventCodec.toNats(jsSubject, e), PublishOptions.builder()
                                .streamTimeout(Duration.ofSeconds(1)).messageId(e.id().toString()).build());
                        f.get(5, TimeUnit.SECONDS);
                    }));
        } else {
            System.out.println("hybrid_publish skipped: no Kafka server: " + k.reason());
        }
        return ops;
    }

    private static Event event(byte[] json) {
        return Event.builder("order.created").source("bench").key("o-1").payload(json, Event.JSON).build();
    }

    @Override
    public void close() throws Exception {
        try {
            if (raw != null && stream != null) {
                raw.jetStreamManagement().deleteStream(stream);
            }
        } catch (Exception e) {
            System.out.println("could not delete bench stream " + stream + ": " + e);
        }
        if (rawKafka != null) {
            rawKafka.close(Duration.ofSeconds(5));
        }
        if (raw != null) {
            raw.close();
        }
        if (suho != null) {
            suho.close();
        }
    }
}
