package io.suho.pipelines;


import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.QueryOptions;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.events.DeadLetters;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sink end to end against real Kafka and ClickHouse: 100k events, the first sink process killed with SIGKILL
 * mid-run, a second sink in-process, ClickHouse stopped and started under it, a partition replayed from offset 0, ten
 * poison records. Afterwards every event id is in ClickHouse exactly once after dedup ({@code FINAL}, {@code argMax}),
 * none missing, the poison records in the dead-letter topic.
 */
class EventSinkIT {
    private static final int EVENTS = 100_000;
    private static final int POISON = 10;

    @Test
    void exactlyEveryEventOnceAfterAKilledSinkAndAClickHouseRestart(@RealStore(StoreKind.CLICKHOUSE) StoreServer chServer,
            @RealStore(StoreKind.KAFKA) StoreServer kafka) throws Exception {
        chServer.requireLocal("exactlyEveryEventOnceAfterAKilledSinkAndAClickHouseRestart", "restart ClickHouse");
        String run = Long.toHexString(System.nanoTime());
        String topic = "sink-it-" + run;
        String dlq = topic + ".dlq";
        String table = "sink_it_" + run;
        String group = "sink-it-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort()))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1), new NewTopic(dlq, 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, topic, dlq);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = chServer.configure(SuhoClients.builder().serviceName("sink-it").meterRegistry(registry)
                .resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder().timeout(Duration.ofSeconds(5))
                        .build())).build();
                KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            List<String> ids = new ArrayList<>(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                ids.add(Event.newId().toString());
            }
            produce(producer, topic, ids.subList(0, EVENTS / 2));
            for (int i = 0; i < POISON; i++) {
                producer.send(new ProducerRecord<>(topic, ("poison-" + i).getBytes(StandardCharsets.UTF_8),
                        "not an envelope".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
            producer.flush();

            // 1. a sink process, killed with SIGKILL after it has written some batches
            Path firstLog = Files.createTempFile("sink-process", ".log");
            Process first = startSinkProcess(chServer, kafka, topic, group, table, dlq, firstLog);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!first.isAlive()) {
                        throw new AssertionError("the sink process exited with " + first.exitValue() + ":\n"
                                + Files.readString(firstLog));
                    }
                    return tableExists(ch, table) && count(ch, table) >= 20_000;
                });
            } finally {
                first.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            long afterKill = count(ch, table);
            System.out.println("sink process killed (SIGKILL) with " + afterKill + " rows in " + table);

            // 2. a second sink (in-process) picks up from the committed offsets
            EventSink sink = EventSink.builder(ch).bootstrapServers(kafka.hostPort()).topic(topic).groupId(group)
                    .table(EventTable.spec(table), EventTable.MAPPER).deadLetterTopic(dlq)
                    .batch(2000, Duration.ofMillis(200)).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .kafkaProperty("session.timeout.ms", "6000").kafkaProperty("heartbeat.interval.ms", "1000")
                    .meterRegistry(registry, "sink-it").build();
            sink.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> count(ch, table) >= afterKill + 4_000);
                // 3. ClickHouse goes away under the running sink while the second half is produced, then comes back
                try {
                    LocalStack.down(StoreKind.CLICKHOUSE);
                    produce(producer, topic, ids.subList(EVENTS / 2, EVENTS));
                    await().atMost(Duration.ofSeconds(30)).until(() -> failedBatches(registry) >= 3);
                    System.out.println("sink failed " + failedBatches(registry) + " insert attempts while ClickHouse "
                            + "was down; lag " + sink.lag());
                } finally {
                    LocalStack.up(StoreKind.CLICKHOUSE);
                }
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> distinct(ch, table) == EVENTS && sink.lag() == 0);
            } finally {
                sink.close();
            }

            // 4. a replay from older offsets (what a crash between insert and commit does, made certain): partition 0
            //    is rewound to its start and consumed again
            long replay;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort()))) {
                TopicPartition p0 = new TopicPartition(topic, 0);
                replay = admin.listOffsets(Map.of(p0, OffsetSpec.latest())).partitionResult(p0).get().offset();
                admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(0))).all()
                        .get(30, TimeUnit.SECONDS);
            }
            EventSink again = EventSink.builder(ch).bootstrapServers(kafka.hostPort()).topic(topic).groupId(group)
                    .table(EventTable.spec(table), EventTable.MAPPER).deadLetterTopic(dlq)
                    .batch(2000, Duration.ofMillis(200)).kafkaProperty("session.timeout.ms", "6000")
                    .meterRegistry(new SimpleMeterRegistry(), "sink-it-replay").build();
            again.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> again.rowsInserted() + again.deadLettered() >= replay);
            } finally {
                again.close();
            }
            System.out.println("replayed partition 0: " + replay + " records");

            // 5. the account: every id once after dedup, none missing, poison in the DLQ
            long raw = count(ch, table);
            long distinct = distinct(ch, table);
            long argMax = ch.queryLong("SELECT count() FROM (SELECT event_id, argMax(payload, ingested_at) FROM "
                    + table + " GROUP BY event_id)", Map.of());
            ch.execute("OPTIMIZE TABLE " + table + " FINAL");
            long fin = ch.queryLong("SELECT count() FROM " + table + " FINAL", Map.of());
            Set<String> inTable = new HashSet<>(EVENTS);
            ch.stream("SELECT DISTINCT event_id FROM " + table, Map.of(), QueryOptions.defaults(),
                    r -> r.getString(0), inTable::add);
            long missing = ids.stream().filter(id -> !inTable.contains(id)).count();
            Set<String> produced = new HashSet<>(ids);
            long foreign = inTable.stream().filter(id -> !produced.contains(id)).count();
            Set<String> poisonOffsets = deadLetteredOffsets(kafka, dlq);
            System.out.printf("RESULT sink produced=%d raw_rows=%d duplicates_before_dedup=%d distinct=%d "
                    + "after_final=%d argmax_groups=%d missing=%d dead_lettered=%d failed_batches=%.0f%n", EVENTS, raw,
                    raw - distinct, distinct, fin, argMax, missing, poisonOffsets.size(), failedBatches(registry));
            assertThat(raw).isGreaterThan(EVENTS); // the replay wrote duplicates...
            assertThat(distinct).isEqualTo(EVENTS); // ...which dedup removes
            assertThat(missing).isZero();
            assertThat(foreign).isZero();
            assertThat(fin).isEqualTo(EVENTS);
            assertThat(argMax).isEqualTo(EVENTS);
            assertThat(poisonOffsets).hasSize(POISON); // replayed poison is dead-lettered again, same offsets
            assertThat(failedBatches(registry)).isGreaterThanOrEqualTo(3);
            ch.execute("DROP TABLE IF EXISTS " + table);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort()))) {
                admin.deleteTopics(List.of(topic, dlq)).all().get(30, TimeUnit.SECONDS);
            }
        } finally {
            if (!LocalStack.reachable(StoreKind.CLICKHOUSE)) {
                LocalStack.up(StoreKind.CLICKHOUSE);
            }
        }
    }

    private static double failedBatches(SimpleMeterRegistry registry) {
        var c = registry.find("suho.analytics.sink.batches").tag("outcome", "failed").counter();
        return c == null ? 0 : c.count();
    }

    private static boolean tableExists(AnalyticsClient ch, String table) {
        return ch.queryLong("SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = {t:String}",
                Map.of("t", table)) == 1;
    }

    private static long count(AnalyticsClient ch, String table) {
        return ch.queryLong("SELECT count() FROM " + table, Map.of());
    }

    private static long distinct(AnalyticsClient ch, String table) {
        return ch.queryLong("SELECT uniqExact(event_id) FROM " + table, Map.of());
    }

    private static KafkaProducer<byte[], byte[]> producer(StoreServer kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /**
     * Every event must reach the topic, or the test's own count is wrong: each send is checked, and a failed one
     * fails the test at once with Kafka's reason (instead of a sink that looks slow two minutes later).
     */
    private static void produce(KafkaProducer<byte[], byte[]> producer, String topic, List<String> ids)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(ids.size());
        for (String id : ids) {
            Event e = Event.builder("trade.executed").id(UUID.fromString(id)).source("sink-it")
                    .key("SYM" + (id.hashCode() & 31)).json(Map.of("id", id, "qty", 1)).build();
            sent.add(producer.send(EventCodec.toKafka(topic, e)));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the test's producer could not write an event to " + topic + ": "
                        + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * A topic created right after the broker restarted (an earlier test stops Kafka) can answer produce requests
     * with NOT_LEADER until its partitions have a leader; the idempotent producer's retries then end in
     * OUT_OF_ORDER_SEQUENCE_NUMBER. Wait until every partition has one.
     */
    private static void awaitLeaders(Admin admin, String... topics) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> admin.describeTopics(List.of(topics)).allTopicNames().get(5, TimeUnit.SECONDS).values()
                        .stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    }

    private static Process startSinkProcess(StoreServer ch, StoreServer kafka, String topic, String group, String table,
            String dlq, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                EventSinkMain.class.getName(), "--topic", topic, "--group", group, "--table", table,
                "--dead-letter-topic", dlq, "--batch-rows", "2000", "--batch-delay-ms", "200",
                "--bootstrap", kafka.hostPort(), "--kafka.session.timeout.ms", "6000",
                "--kafka.heartbeat.interval.ms", "1000");
        pb.environment().put("SUHO_ANALYTICS_HOSTS", ch.hostPort());
        pb.environment().put("SUHO_ANALYTICS_DATABASE", ch.database());
        if (ch.user() != null) {
            pb.environment().put("SUHO_ANALYTICS_USER", ch.user());
        }
        if (ch.password() != null) {
            pb.environment().put("SUHO_ANALYTICS_PASSWORD", ch.password());
        }
        pb.environment().put("SUHO_ENDPOINT_CACHE_FILE", log.resolveSibling(log.getFileName() + ".endpoints")
                .toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        File dir = new File(System.getProperty("user.dir"));
        pb.directory(dir);
        System.out.println("starting sink process, log " + log);
        return pb.start();
    }

    private static Set<String> deadLetteredOffsets(StoreServer kafka, String dlq) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "sink-it-dlq-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Set<String> offsets = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(dlq));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (offsets.size() < POISON && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    var h = r.headers().lastHeader(DeadLetters.ORIGINAL_PARTITION);
                    var o = r.headers().lastHeader(DeadLetters.ORIGINAL_OFFSET);
                    offsets.add(new String(h.value(), StandardCharsets.UTF_8) + "@"
                            + new String(o.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return offsets;
    }
}
