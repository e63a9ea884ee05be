package io.suho.client.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.Event;
import io.suho.client.messaging.EventCodec;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Inserts that ClickHouse applied but whose answer never reached the client ({@link AnswerHoldingProxy} swallows it):
 * a {@link StoreTimeoutException}, not "not sent". A plain insert reports it; the {@link BatchInserter} and the
 * {@link EventSink} retry the same batch, so a batch is written at least once — twice here on a server without
 * {@code insert_deduplication_token} (18.16), where the {@code ReplacingMergeTree} read with {@code FINAL} collapses
 * it; once on a server that honours the batch's dedup token. Merges are stopped on the test tables so the raw row counts
 * show what was written. Runs against the local stack (or SUHO_CLICKHOUSE_URL / SUHO_KAFKA_*); nothing is stopped.
 */
class InsertOutcomeUnknownIT {
    private static final int ROWS = 200;
    private static final RowEncoder<Long> ROW = (id, row) -> row.put("id", id).put("v", "row-" + id);

    private static SuhoClients client(AnswerHoldingProxy proxy, StoreServer server, SimpleMeterRegistry registry) {
        SuhoClients.Builder b = server.configure(SuhoClients.builder().serviceName("outcome-unknown-it")
                .meterRegistry(registry).resilience(Store.ANALYTICS, ResilienceConfig.defaults().toBuilder()
                        .timeout(Duration.ofSeconds(1)).build()));
        return b.endpoint(Store.ANALYTICS, proxy.endpoint()).build();
    }

    /** A ReplacingMergeTree keyed by id that keeps every written part apart (merges stopped). */
    private static void createTable(AnalyticsClient ch, String table) {
        ch.execute("CREATE TABLE " + table + " (id UInt64, v String) ENGINE = ReplacingMergeTree ORDER BY id"
                + (ch.serverInfo().supportsInsertDedupToken() ? " SETTINGS non_replicated_deduplication_window = 100"
                        : ""));
        ch.execute("SYSTEM STOP MERGES " + table);
    }

    private static double timeouts(SimpleMeterRegistry registry, String operation) {
        Timer t = registry.find("suho.client.requests").tag("store", "analytics").tag("operation", operation)
                .tag("outcome", "timeout").timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void anInsertWhoseAnswerIsLostIsAnUnknownOutcomeAndTheBatchInserterWritesItAtLeastOnce(
            @RealStore(StoreKind.CLICKHOUSE) StoreServer server) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String table = "it_unknown_" + Long.toHexString(System.nanoTime());
        try (AnswerHoldingProxy proxy = new AnswerHoldingProxy(server.host(), server.port());
                SuhoClients suho = client(proxy, server, registry)) {
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            createTable(ch, table);
            try {
                // a plain insert: applied by the server, reported as an unknown outcome (not "not sent")
                proxy.holdNextInserts(1);
                assertThatThrownBy(() -> ch.insert(table, List.of(1_000_000L), ROW, InsertOptions.defaults()))
                        .isInstanceOf(StoreTimeoutException.class).hasMessageContaining("(outcome unknown)");
                assertThat(ch.queryLong("SELECT count() FROM " + table + " WHERE id = 1000000", Map.of()))
                        .as("the insert whose answer was lost did land").isEqualTo(1);
                ch.execute("TRUNCATE TABLE " + table);

                // the batch inserter retries the same batch (same dedup token) after the unknown outcome
                proxy.holdNextInserts(1);
                try (BatchInserter<Long> in = ch.batchInserter(table, ROW, BatchOptions.defaults()
                        .withMaxRows(ROWS).withMaxDelay(Duration.ofMillis(100)))) {
                    for (long i = 0; i < ROWS; i++) {
                        in.add(i);
                    }
                    in.flush(Duration.ofSeconds(20)); // no exception: the retry was written
                    assertThat(in.rowsWritten()).isEqualTo(ROWS);
                }
                assertThat(proxy.held()).isEqualTo(2);
                long raw = ch.queryLong("SELECT count() FROM " + table, Map.of());
                long distinct = ch.queryLong("SELECT count() FROM " + table + " FINAL", Map.of());
                System.out.println("batch after a lost answer: raw_rows=" + raw + " after_final=" + distinct
                        + " server=" + ch.serverInfo().version());
                assertThat(distinct).isEqualTo(ROWS);
                assertThat(raw).isEqualTo(ch.serverInfo().supportsInsertDedupToken() ? ROWS : 2L * ROWS);
                assertThat(timeouts(registry, "insert")).isEqualTo(2);
            } finally {
                ch.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Test
    void theSinkRetriesABatchWhoseAnswerIsLostAndCommitsAfterwards(
            @RealStore(StoreKind.CLICKHOUSE) StoreServer server, @RealStore(StoreKind.KAFKA) StoreServer kafka)
            throws Exception {
        String run = Long.toHexString(System.nanoTime());
        String topic = "sink-unknown-" + run;
        String table = "sink_unknown_" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.hostPort());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AnswerHoldingProxy proxy = new AnswerHoldingProxy(server.host(), server.port());
                SuhoClients suho = client(proxy, server, registry);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < ROWS; i++) {
                producer.send(EventCodec.toKafka(topic, Event.builder("fill").source("it").text("e" + i, "text/plain")
                        .build()));
            }
            producer.flush();
            AnalyticsClient ch = suho.get(AnalyticsClient.class);
            TableSpec spec = EventTable.spec(table);
            ch.createTable(spec); // the sink's own CREATE … IF NOT EXISTS is then a no-op
            ch.execute("SYSTEM STOP MERGES " + table);
            proxy.holdNextInserts(1);
            try (EventSink sink = EventSink.builder(ch).bootstrapServers(kafka.hostPort()).topic(topic)
                    .groupId("g-" + run).table(spec, EventTable.MAPPER).batch(ROWS, Duration.ofMillis(200))
                    .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).meterRegistry(registry, "sink-it")
                    .build()) {
                Thread thread = sink.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.rowsInserted() >= ROWS && sink.pending() == 0);
                assertThat(thread.isAlive()).as("the sink survives an unknown outcome").isTrue();
                assertThat(proxy.held()).isEqualTo(1);
                Counter failed = registry.find("suho.analytics.sink.batches").tag("outcome", "failed").counter();
                assertThat(failed).isNotNull();
                assertThat(failed.count()).isEqualTo(1);
            }
            long raw = ch.queryLong("SELECT count() FROM " + table, Map.of());
            long distinct = ch.queryLong("SELECT count() FROM " + table + " FINAL", Map.of());
            System.out.println("sink batch after a lost answer: raw_rows=" + raw + " after_final=" + distinct);
            assertThat(raw).isEqualTo(2L * ROWS); // the sink sends no dedup token: the replayed batch is written again
            assertThat(distinct).isEqualTo(ROWS);
            ch.execute("DROP TABLE " + table);
        }
    }
}
