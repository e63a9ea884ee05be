package io.suho.pipelines.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.AnalyticsQueryException;
import io.suho.client.analytics.InsertOptions;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.spi.Backoff;
import io.suho.client.core.spi.DriverLogs;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.pipelines.EventSinkConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of one event sink: poll Kafka, add each record to the {@link SinkBatch} (or to the
 * {@link DeadLetterWriter}), insert the batch when it is full or due, then commit its offsets. While ClickHouse is
 * unavailable or does not answer it pauses the partitions, keeps polling (to keep its group membership) and retries
 * the same batch with core's {@link Backoff}; a batch ClickHouse rejects is split in halves until the bad rows are
 * alone. After a Kafka failure (a commit or a dead-letter write) it reopens the consumer at the committed offsets.
 * {@link #run()} runs on one thread; {@link #close()} may be called from any thread.
 */
public final class SinkLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);

    private final EventSinkConfig cfg;
    private final AnalyticsClient client;
    private final SinkMetrics metrics;
    private final SinkBatch batch;
    private final ObservationRegistry observations;
    /** Records of one batch whose traces the insert continues (a bound on the spans a big batch makes). */
    private static final int TRACED_PER_BATCH = 100;
    private final Backoff backoff;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;

    // consumer thread only
    private DeadLetterWriter deadLetters;
    private long retryAtNanos;
    private int failedFlushes;
    private boolean paused;

    /** A loop for the sink {@code cfg} describes, counting into {@code metrics}; nothing runs until {@link #run()}. */
    public SinkLoop(EventSinkConfig cfg, SinkMetrics metrics) {
        this(cfg, metrics, ObservationRegistry.NOOP);
    }

    /** A loop whose inserts continue the traces of the records they write, observed on {@code observations}. */
    public SinkLoop(EventSinkConfig cfg, SinkMetrics metrics, ObservationRegistry observations) {
        this.observations = observations;
        this.cfg = cfg;
        this.client = cfg.client();
        this.metrics = metrics;
        this.batch = new SinkBatch(cfg.mapper());
        this.backoff = Backoff.of(cfg.minBackoff(), cfg.maxBackoff());
    }

    /** Records polled and not committed yet (see {@code EventSink.pending()}). */
    public int pending() {
        return batch.pending();
    }

    /** Consumes until {@link #close()}; creates the table first. */
    public void run() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("sink for " + cfg.topic() + " is already running");
        }
        thread = Thread.currentThread();
        createTableWithRetry();
        batch.open(client.encodedRows());
        deadLetters = new DeadLetterWriter(cfg, metrics);
        openConsumer();
        try {
            LOG.info("sink {} → {} started (group {}, batch {} rows / {} ms)", cfg.topic(), cfg.table().name(),
                    cfg.groupId(), cfg.maxBatchRows(), cfg.maxBatchDelay().toMillis());
            while (!closed.get()) {
                try {
                    step();
                } catch (WakeupException e) {
                    if (closed.get()) {
                        break;
                    }
                    throw e;
                } catch (KafkaException e) {
                    // after a failed commit or dead-letter write: start over from the committed offsets
                    LOG.warn("sink {}: Kafka failed ({}); reopening the consumer at the committed offsets",
                            cfg.topic(), e.toString());
                    batch.clear();
                    deadLetters.discard();
                    paused = false;
                    consumer.close(Duration.ofSeconds(2));
                    sleep(cfg.minBackoff().toMillis());
                    openConsumer();
                }
            }
            if (!batch.isEmpty()) {
                tryFlush(); // a clean stop writes what it has if ClickHouse answers; otherwise the next run replays
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                deadLetters.close();
                running.set(false);
                LOG.info("sink {} → {} stopped ({} rows inserted, {} dead-lettered)", cfg.topic(), cfg.table().name(),
                        metrics.rowsInserted(), metrics.deadLetteredCount());
            }
        }
    }

    private void openConsumer() {
        DriverLogs.quietKafka(); // the consumer's config dump to WARN unless the application set that logger's level
        consumer = new KafkaConsumer<>(consumerProps(cfg));
        consumer.subscribe(List.of(cfg.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                onRevoked();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.info("sink {} → {}: assigned {}", cfg.topic(), cfg.table().name(), partitions);
            }
        });
        if (closed.get()) {
            consumer.wakeup();
        }
    }

    private void createTableWithRetry() {
        for (int attempt = 1; !closed.get(); attempt++) {
            try {
                client.createTable(cfg.table());
                return;
            } catch (StoreUnavailableException | StoreTimeoutException e) {
                // CREATE TABLE IF NOT EXISTS: running it again after an unknown outcome is harmless
                long wait = backoff.delay(attempt).toMillis();
                LOG.warn("sink cannot create {} yet ({}); retrying in {} ms", cfg.table().name(), e.getMessage(),
                        wait);
                sleep(wait);
            }
        }
    }

    private void step() {
        if (paused) {
            consumer.poll(Duration.ofMillis(Math.min(100, Math.max(0,
                    (retryAtNanos - System.nanoTime()) / 1_000_000))));
            if (System.nanoTime() - retryAtNanos >= 0) {
                tryFlush();
            }
            return;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(cfg.pollTimeout());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            add(record);
        }
        measureLag();
        if (batch.rowCount() >= cfg.maxBatchRows() || batch.due(cfg.maxBatchDelay().toNanos())) {
            tryFlush();
        }
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        batch.track(record);
        Event event;
        try {
            event = EventCodec.fromKafka(record);
        } catch (RuntimeException e) {
            deadLetters.write(record, e);
            return;
        }
        try {
            batch.addRow(record, event);
        } catch (RuntimeException e) {
            deadLetters.write(record, e);
        }
    }

    /** Inserts the batch, then commits; on an outage pauses and schedules a retry. */
    private boolean tryFlush() {
        try {
            if (batch.rowCount() > 0) {
                insertBatch();
            }
            deadLetters.awaitWritten();
            if (batch.hasOffsets()) {
                consumer.commitSync(batch.offsets(), cfg.commitTimeout());
                metrics.committed(batch.offsets().size());
            }
            batch.clear();
            if (paused) {
                consumer.resume(consumer.paused());
                paused = false;
                LOG.info("sink {} → {} resumed", cfg.topic(), cfg.table().name());
            }
            failedFlushes = 0;
            return true;
        } catch (StoreUnavailableException | StoreTimeoutException e) {
            // not sent, or sent with no answer: retry the same batch either way; a batch that did land is written
            // again and collapses in the ReplacingMergeTree like a replay, and its offsets are committed only after
            metrics.batchFailed();
            long wait = backoff.delayNanos(++failedFlushes);
            retryAtNanos = System.nanoTime() + wait;
            if (!paused) {
                consumer.pause(consumer.assignment());
                paused = true;
            }
            LOG.warn("sink {} → {}: batch of {} rows {}, offsets not committed ({}); retrying in {} ms", cfg.topic(),
                    cfg.table().name(), batch.rowCount(), e instanceof StoreTimeoutException
                            ? "may or may not be written" : "not written", e.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(wait));
            return false;
        }
    }

    private void insertBatch() {
        List<Observation> received = receivedObservations();
        Observation.Scope scope = received.isEmpty() ? null : received.get(0).openScope();
        try {
            insertObserved();
        } finally {
            if (scope != null) {
                scope.close();
            }
            received.forEach(Observation::stop);
        }
    }

    /**
     * One {@code suho.sink.receive} observation per traced record of the batch (the first {@value #TRACED_PER_BATCH}),
     * each continuing its producer's trace; the insert runs in the scope of the first, so its ClickHouse span joins
     * that trace. Nothing without an {@code ObservationRegistry}.
     */
    private List<Observation> receivedObservations() {
        if (observations == ObservationRegistry.NOOP) {
            return List.of();
        }
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < batch.rowCount() && out.size() < TRACED_PER_BATCH; i++) {
            ConsumerRecord<byte[], byte[]> r = batch.record(i);
            String tp = header(r, EventCodec.TRACEPARENT);
            if (tp != null) {
                out.add(TraceContinuation.start(observations, "suho.sink.receive", r.topic() + " sink",
                        tp, header(r, EventCodec.TRACESTATE), r.topic()));
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void insertObserved() {
        long start = System.nanoTime();
        try {
            client.insert(cfg.table().name(), batch.rows(), InsertOptions.defaults().withRetry(true));
            metrics.batchInserted(batch.rowCount(), System.nanoTime() - start);
        } catch (AnalyticsQueryException e) {
            // ClickHouse refused the batch: split it until the bad rows are alone, dead-letter them, keep the rest
            LOG.warn("sink {} → {}: batch of {} rows rejected ({}); splitting it to find the bad rows", cfg.topic(),
                    cfg.table().name(), batch.rowCount(), e.getMessage());
            metrics.batchFailed();
            insertSplitting(0, batch.rowCount());
        }
    }

    /** Inserts rows {@code [from, to)} of the batch, halving on rejection; O(bad rows × log n) requests. */
    private void insertSplitting(int from, int to) {
        try {
            client.insert(cfg.table().name(), batch.rows().range(from, to), InsertOptions.defaults().withRetry(true));
            metrics.rowsInserted(to - from);
        } catch (AnalyticsQueryException e) {
            if (to - from == 1) {
                deadLetters.write(batch.record(from), e);
            } else {
                int mid = (from + to) >>> 1;
                insertSplitting(from, mid);
                insertSplitting(mid, to);
            }
        }
    }

    private void onRevoked() {
        if (batch.isEmpty()) {
            return;
        }
        // eager rebalancing: every partition goes; write what we have if we can, otherwise the new owner replays it
        if (!paused && tryFlush()) {
            return;
        }
        batch.clear();
        deadLetters.discard();
        paused = false;
    }

    private void measureLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                total += l.getAsLong();
            }
        }
        metrics.lag(total);
    }

    /**
     * The consumer's properties; {@code kafkaProperties} override them. The session timeout is 10 s rather than
     * Kafka's 45 s: a sink that was SIGKILLed, or whose LeaveGroup could not reach a restarted broker before it
     * re-opened its consumer, stays a group member until its session times out, and until then its partitions are
     * read by no one (the pipeline drill measured 45–70 s of standstill with the defaults).
     */
    static Properties consumerProps(EventSinkConfig cfg) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, cfg.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(cfg.maxBatchRows(), 5000)));
        // eager: every rebalance revokes everything, so dropping an unwritten batch never skips records we keep
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(cfg.commitTimeout().toMillis()));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        // also the rebalance timeout: how long a rebalance waits for a member that does not rejoin (5 min by
        // default); the loop polls between inserts, and an insert is bounded by the store timeout (10 s)
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "60000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(cfg.kafkaProperties());
        return p;
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.set(true);
        }
    }

    /**
     * Stops the loop: it writes and commits its current batch if ClickHouse answers (otherwise leaves it to be
     * replayed) and closes its Kafka clients. Waits up to 30 s for the loop's thread. Idempotent.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
