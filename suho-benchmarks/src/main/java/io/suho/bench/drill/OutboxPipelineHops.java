package io.suho.bench.drill;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.QueryOptions;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.TopicSpec;
import io.suho.client.postgres.Outbox;
import io.suho.client.postgres.PostgresClient;
import io.suho.events.EventCodec;
import io.suho.pipelines.EventTable;
import io.suho.test.LocalStack;
import io.suho.test.StoreKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code --drill pipeline}: an order row plus an outbox row in one PostgreSQL transaction through the SDK; the
 * {@link io.suho.pipelines.OutboxRelay} (a child process) publishes the outbox to a Kafka topic; the
 * {@link io.suho.pipelines.EventSink} (another child process) writes the topic into a ClickHouse
 * {@link EventTable} ({@code ReplacingMergeTree} by event id). Faults: the relay SIGKILLed, Kafka stopped and
 * started, ClickHouse stopped and started, the sink SIGKILLed. Hops counted: outbox rows of the topic, raw records on
 * the topic (every partition from the beginning, the event id from the {@code ce_id} header), raw rows in ClickHouse
 * (no {@code FINAL}).
 */
final class OutboxPipelineHops implements PipelineDrill.Hops {
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String topic = "drill_pipe_" + run;
    private final String table = "drill_pipe_" + run + "_events";
    private final String orders = "drill_pipe_orders_" + run;
    private final Path logDir = Path.of(System.getProperty("java.io.tmpdir"));
    private final Map<Integer, Long> seenOffset = new HashMap<>();
    private SuhoClients suho;
    private PostgresClient pg;
    private AnalyticsClient ch;
    private KafkaClient kafka;
    private ChildProcess relay;
    private ChildProcess sink;

    @Override
    public String label() {
        return "PIPELINE";
    }

    @Override
    public void setUp() throws Exception {
        suho = PipelineChild.connect("drill-pipeline", StoreKind.POSTGRES, StoreKind.KAFKA, StoreKind.CLICKHOUSE);
        pg = suho.get(PostgresClient.class);
        ch = suho.get(AnalyticsClient.class);
        kafka = suho.get(KafkaClient.class);
        pg.update("CREATE TABLE " + orders + " (id bigint NOT NULL, amount numeric NOT NULL, "
                + "placed_at timestamptz NOT NULL DEFAULT now())");
        kafka.ensureTopic(TopicSpec.of(topic).withPartitions(6));
        ch.createTable(EventTable.spec(table));
        relay = new ChildProcess(logDir.resolve(topic + "-relay.log"), "relay", "--topic", topic).start();
        sink = new ChildProcess(logDir.resolve(topic + "-sink.log"), "sink", "--topic", topic, "--table", table,
                "--group", topic + "-sink").start();
        System.out.printf(Locale.ROOT, "[pipeline] topic %s, ClickHouse table %s, orders %s; child logs %s-*.log%n",
                topic, table, orders, logDir.resolve(topic));
    }

    @Override
    public UUID place(long seq) {
        byte[] payload = ("{\"order\":" + seq + ",\"amount\":" + (seq % 97 + 1) + "}").getBytes(StandardCharsets.UTF_8);
        return pg.inTransaction(tx -> {
            tx.update("INSERT INTO " + orders + " (id, amount) VALUES (?, ?)", seq, seq % 97 + 1);
            return pg.outbox().append(tx, topic, "acct-" + (seq % 64), "order.placed", payload, Map.of());
        });
    }

    @Override
    public List<PipelineDrill.Fault> faults() {
        return List.of(
                fault("relay_kill", relay::kill, () -> relay.start()),
                fault("kafka_restart", () -> LocalStack.down(StoreKind.KAFKA), () -> LocalStack.up(StoreKind.KAFKA)),
                fault("clickhouse_restart", () -> LocalStack.down(StoreKind.CLICKHOUSE),
                        () -> LocalStack.up(StoreKind.CLICKHOUSE)),
                fault("sink_kill", sink::kill, () -> sink.start()));
    }

    interface Action {
        void run() throws Exception;
    }

    static PipelineDrill.Fault fault(String name, Action inject, Action restore) {
        return new PipelineDrill.Fault() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void inject() throws Exception {
                inject.run();
            }

            @Override
            public void restore() throws Exception {
                restore.run();
            }
        };
    }

    /** New rows since the last poll, by Kafka partition and offset (the sink writes each partition in order). */
    @Override
    public Map<UUID, Long> arrivals() {
        StringJoiner seen = new StringJoiner(" OR ");
        seenOffset.forEach((p, o) -> seen.add("(kafka_partition = " + p + " AND kafka_offset <= " + o + ")"));
        String where = seenOffset.isEmpty() ? "" : " WHERE NOT (" + seen + ")";
        Map<UUID, Long> out = new HashMap<>();
        long now = System.currentTimeMillis();
        Map<Integer, Long> max = new HashMap<>(seenOffset);
        ch.stream("SELECT kafka_partition, kafka_offset, event_id FROM " + table + where, Map.of(),
                QueryOptions.defaults(), r -> new Object[] {(int) r.getLong(0), r.getLong(1), r.getString(2)}, r -> {
                    out.put(UUID.fromString((String) r[2]), now);
                    max.merge((Integer) r[0], (Long) r[1], Math::max);
                });
        seenOffset.putAll(max);
        return out;
    }

    @Override
    public List<PipelineDrill.Hop> count() throws Exception {
        List<UUID> outbox = pg.query("SELECT event_id FROM " + Outbox.TABLE + " WHERE topic = ?",
                rs -> (UUID) rs.getObject(1), topic);
        List<UUID> records = topicRecords();
        List<UUID> rows = new ArrayList<>();
        ch.stream("SELECT event_id FROM " + table, Map.of(), QueryOptions.defaults(),
                r -> UUID.fromString(r.getString(0)), rows::add);
        return List.of(new PipelineDrill.Hop("outbox_rows", outbox.size(), new HashSet<>(outbox)),
                new PipelineDrill.Hop("kafka_distinct", records.size(), new HashSet<>(records)),
                new PipelineDrill.Hop("clickhouse_distinct", rows.size(), new HashSet<>(rows)));
    }

    /** Every record on the topic, from the beginning of each partition to its end offset, by {@code ce_id}. */
    private List<UUID> topicRecords() {
        Properties p = new Properties();
        p.putAll(kafka.connectionProperties());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<UUID> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    Header id = r.headers().lastHeader(EventCodec.KAFKA_ID);
                    out.add(UUID.fromString(new String(id.value(), StandardCharsets.UTF_8)));
                }
            }
            System.out.printf(Locale.ROOT, "[pipeline] topic %s end offsets %s%n", topic, end.values());
        }
        return out;
    }

    @Override
    public long afterDedupCopies() {
        // what a reader of the sink table sees: rows after the ReplacingMergeTree's dedup minus distinct ids (copies
        // that landed in different partitions of the table, e.g. with a different event_time, would stay)
        return ch.queryLong("SELECT count() FROM " + table + " FINAL", Map.of())
                - ch.queryLong("SELECT uniqExact(event_id) FROM " + table, Map.of());
    }

    @Override
    public void close() {
        try {
            if (relay != null) {
                relay.stop();
            }
            if (sink != null) {
                sink.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (suho == null) {
            return;
        }
        cleanup(() -> pg.update("DELETE FROM " + Outbox.TABLE + " WHERE topic = ?", topic));
        cleanup(() -> pg.update("DROP TABLE IF EXISTS " + orders));
        cleanup(() -> ch.execute("DROP TABLE IF EXISTS " + table));
        cleanup(() -> {
            try (Admin admin = Admin.create(kafka.connectionProperties())) {
                admin.deleteTopics(List.of(topic)).all().get();
            }
        });
        suho.close();
    }

    static void cleanup(Action a) {
        try {
            a.run();
        } catch (Exception e) {
            System.out.println("[pipeline] cleanup: " + e);
        }
    }
}
