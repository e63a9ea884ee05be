package io.suho.client.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.analytics.internal.ClickHouseAnalyticsClient;
import io.suho.client.analytics.internal.JsonRowWriter;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.spi.Backoff;
import io.suho.client.messaging.DeadLetters;
import io.suho.client.messaging.Event;
import io.suho.client.messaging.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent Kafka → ClickHouse sink: consumes a topic of {@link Event} envelopes, maps each to a row, inserts
 * batches with one request each, and commits the Kafka offsets of a batch only after ClickHouse accepted it.
 *
 * <p><b>Delivery.</b> At least once into ClickHouse; a crash between insert and commit replays the batch, and the
 * target table ({@code ReplacingMergeTree} keyed by event id, see {@link EventTable}) collapses the duplicates, so
 * {@code FINAL} / {@code argMax} queries see every event exactly once.
 *
 * <p><b>Poison records</b> (not an envelope, or the mapper throws, or ClickHouse rejects the row's values) go to the
 * dead-letter topic with the {@link DeadLetters} headers; their offsets are committed only after the dead-letter
 * write is acknowledged. A batch ClickHouse rejects is split in halves until the bad rows are isolated; the rest is written.
 *
 * <p><b>Outages.</b> While ClickHouse is unavailable ({@link StoreUnavailableException}) or does not answer
 * ({@link StoreTimeoutException}: the batch may have landed) the sink pauses its partitions, stops committing, keeps
 * its group membership by polling, and retries the same batch with the SDK's {@link Backoff}; it resumes where it
 * stopped once ClickHouse answers. A batch written twice that way collapses in the {@code ReplacingMergeTree} like a
 * replay after a crash. A Kafka outage is the consumer's to ride out; the sink resumes from the committed offsets.
 *
 * <p><b>Metrics</b> (tags {@code service}, {@code topic}, {@code table}): {@code suho.analytics.sink.records} (outcome
 * {@code inserted} / {@code dead_lettered}), {@code suho.analytics.sink.batches} ({@code success} / {@code failed}),
 * {@code suho.analytics.sink.insert.latency}, {@code suho.analytics.sink.lag} (records behind the log end, summed over
 * assigned partitions) and {@code suho.analytics.sink.committed} (offsets committed).
 *
 * <p>{@link #run()} blocks the calling thread; {@link #start()} runs it on a daemon thread; {@link #close()} stops it
 * (thread-safe). One sink owns one consumer; run several (same group) to scale out.
 */
public final class EventSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

    private final ClickHouseAnalyticsClient ch;
    private final Builder cfg;
    private final Backoff backoff;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong lag = new AtomicLong();
    private volatile int pending;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;

    private final Counter inserted;
    private final Counter deadLettered;
    private final Counter batchesOk;
    private final Counter batchesFailed;
    private final Counter committed;
    private final Timer insertLatency;

    // the batch being built or retried (consumer thread only)
    private JsonRowWriter writer;
    private final List<ConsumerRecord<byte[], byte[]>> rowsRecords = new ArrayList<>();
    private final List<Integer> rowEnds = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final List<Future<RecordMetadata>> deadLetterWrites = new ArrayList<>();
    private long batchStartNanos;
    private long retryAtNanos;
    private int failedFlushes;
    private boolean paused;
    private KafkaProducer<byte[], byte[]> deadLetters;

    private EventSink(Builder b) {
        if (!(b.client instanceof ClickHouseAnalyticsClient c)) {
            throw new IllegalArgumentException("EventSink needs the SDK's AnalyticsClient (suho.get(AnalyticsClient"
                    + ".class)), got " + b.client.getClass().getName());
        }
        this.ch = c;
        this.cfg = b;
        this.backoff = Backoff.of(b.minBackoff, b.maxBackoff);
        if (!b.table.engine().startsWith("Replacing")) {
            LOG.warn("sink table {} uses {}: replays after a crash will leave duplicate rows; use a ReplacingMergeTree "
                    + "keyed by the event id", b.table.name(), b.table.engine());
        }
        MeterRegistry r = b.registry;
        String[] tags = {"service", b.service, "topic", b.topic, "table", b.table.name()};
        inserted = Counter.builder("suho.analytics.sink.records").tags(tags).tag("outcome", "inserted")
                .description("Records the sink wrote to ClickHouse (replays included)").register(r);
        deadLettered = Counter.builder("suho.analytics.sink.records").tags(tags).tag("outcome", "dead_lettered")
                .description("Records the sink wrote to ClickHouse (replays included)").register(r);
        batchesOk = Counter.builder("suho.analytics.sink.batches").tags(tags).tag("outcome", "success")
                .description("Insert attempts of sink batches").register(r);
        batchesFailed = Counter.builder("suho.analytics.sink.batches").tags(tags).tag("outcome", "failed")
                .description("Insert attempts of sink batches").register(r);
        committed = Counter.builder("suho.analytics.sink.committed").tags(tags)
                .description("Kafka offsets committed after a successful insert").register(r);
        insertLatency = Timer.builder("suho.analytics.sink.insert.latency").tags(tags)
                .description("Time to insert one sink batch").register(r);
        Gauge.builder("suho.analytics.sink.lag", lag, AtomicLong::get).tags(tags)
                .description("Records behind the log end over the sink's partitions").register(r);
    }

    /** Starts a sink definition writing through {@code client} (from {@code suho.get(AnalyticsClient.class)}). */
    public static Builder builder(AnalyticsClient client) {
        return new Builder(client);
    }

    /** Runs the sink on a new daemon thread named {@code suho-event-sink-<topic>} and returns it. */
    public Thread start() {
        Thread t = new Thread(this::run, "suho-event-sink-" + cfg.topic);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Records behind the end of the log (last measured), for tests and ops. */
    public long lag() {
        return lag.get();
    }

    /**
     * Records polled and not committed yet: the batch being built or retried, poison records included. Offsets are
     * committed only after the batch is in ClickHouse, so after a crash or a Kafka outage these are read again.
     */
    public int pending() {
        return pending;
    }

    /** Rows inserted so far (replays included). */
    public long rowsInserted() {
        return (long) inserted.count();
    }

    /** Records sent to the dead-letter topic so far. */
    public long deadLettered() {
        return (long) deadLettered.count();
    }

    /** Consumes until {@link #close()}; creates the table first. */
    public void run() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("sink for " + cfg.topic + " is already running");
        }
        thread = Thread.currentThread();
        createTableWithRetry();
        writer = new JsonRowWriter(ch.zone());
        deadLetters = cfg.deadLetterTopic == null ? null : new KafkaProducer<>(producerProps());
        openConsumer();
        try {
            LOG.info("sink {} → {} started (group {}, batch {} rows / {} ms)", cfg.topic, cfg.table.name(),
                    cfg.groupId, cfg.maxBatchRows, cfg.maxBatchDelay.toMillis());
            while (!closed.get()) {
                try {
                    step();
                } catch (WakeupException e) {
                    if (closed.get()) {
                        break;
                    }
                    throw e;
                } catch (org.apache.kafka.common.KafkaException e) {
                    // after a failed commit or dead-letter write: start over from the committed offsets
                    LOG.warn("sink {}: Kafka failed ({}); reopening the consumer at the committed offsets", cfg.topic,
                            e.toString());
                    clearBatch();
                    deadLetterWrites.clear();
                    paused = false;
                    consumer.close(Duration.ofSeconds(2));
                    sleep(cfg.minBackoff.toMillis());
                    openConsumer();
                }
            }
            if (!rowsRecords.isEmpty() || !offsets.isEmpty()) {
                tryFlush(); // a clean stop writes what it has if ClickHouse answers; otherwise the next run replays
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                if (deadLetters != null) {
                    deadLetters.close(Duration.ofSeconds(5));
                }
                running.set(false);
                LOG.info("sink {} → {} stopped ({} rows inserted, {} dead-lettered)", cfg.topic, cfg.table.name(),
                        rowsInserted(), deadLettered());
            }
        }
    }

    private void openConsumer() {
        consumer = new KafkaConsumer<>(consumerProps());
        consumer.subscribe(List.of(cfg.topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                onRevoked();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.info("sink {} → {}: assigned {}", cfg.topic, cfg.table.name(), partitions);
            }
        });
        if (closed.get()) {
            consumer.wakeup();
        }
    }

    private void createTableWithRetry() {
        for (int attempt = 1; !closed.get(); attempt++) {
            try {
                ch.createTable(cfg.table);
                return;
            } catch (StoreUnavailableException | StoreTimeoutException e) {
                // CREATE TABLE IF NOT EXISTS: running it again after an unknown outcome is harmless
                long wait = backoff.delay(attempt).toMillis();
                LOG.warn("sink cannot create {} yet ({}); retrying in {} ms", cfg.table.name(), e.getMessage(), wait);
                sleep(wait);
            }
        }
    }

    private void step() {
        if (paused) {
            consumer.poll(Duration.ofMillis(Math.min(100, Math.max(0, (retryAtNanos - System.nanoTime()) / 1_000_000))));
            if (System.nanoTime() - retryAtNanos >= 0) {
                tryFlush();
            }
            return;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(cfg.pollTimeout);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            add(record);
        }
        measureLag();
        boolean full = rowsRecords.size() >= cfg.maxBatchRows;
        boolean due = !offsets.isEmpty() && System.nanoTime() - batchStartNanos >= cfg.maxBatchDelay.toNanos();
        if (full || due) {
            tryFlush();
        }
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        if (offsets.isEmpty()) {
            batchStartNanos = System.nanoTime();
        }
        offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        pending++; // only the consumer thread writes it
        Event event;
        try {
            event = EventCodec.fromKafka(record);
        } catch (RuntimeException e) {
            deadLetter(record, e);
            return;
        }
        EventRowMapper.Origin origin = new EventRowMapper.Origin(record.topic(), record.partition(), record.offset());
        try {
            writer.append(event, (ev, row) -> {
                try {
                    cfg.mapper.map(ev, origin, row);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            });
        } catch (RuntimeException e) {
            deadLetter(record, e);
            return;
        }
        rowsRecords.add(record);
        rowEnds.add(writer.length());
    }

    /** Inserts the batch, then commits; on an outage pauses and schedules a retry. */
    private boolean tryFlush() {
        try {
            if (!rowsRecords.isEmpty()) {
                insertBatch();
            }
            awaitDeadLetters();
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets, cfg.commitTimeout);
                committed.increment(offsets.size());
            }
            clearBatch();
            if (paused) {
                consumer.resume(consumer.paused());
                paused = false;
                LOG.info("sink {} → {} resumed", cfg.topic, cfg.table.name());
            }
            failedFlushes = 0;
            return true;
        } catch (StoreUnavailableException | StoreTimeoutException e) {
            // not sent, or sent with no answer: retry the same batch either way; a batch that did land is written
            // again and collapses in the ReplacingMergeTree like a replay, and its offsets are committed only after
            batchesFailed.increment();
            long wait = backoff.delayNanos(++failedFlushes);
            retryAtNanos = System.nanoTime() + wait;
            if (!paused) {
                consumer.pause(consumer.assignment());
                paused = true;
            }
            LOG.warn("sink {} → {}: batch of {} rows {}, offsets not committed ({}); retrying in {} ms", cfg.topic,
                    cfg.table.name(), rowsRecords.size(), e instanceof StoreTimeoutException
                            ? "may or may not be written" : "not written", e.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(wait));
            return false;
        }
    }

    private void insertBatch() {
        long start = System.nanoTime();
        try {
            ch.insertEncoded(cfg.table.name(), writer.buffer(), writer.length(),
                    InsertOptions.defaults().withRetry(true));
            insertLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            batchesOk.increment();
            inserted.increment(rowsRecords.size());
        } catch (AnalyticsQueryException e) {
            // ClickHouse refused the batch: split it until the bad rows are alone, dead-letter them, keep the rest
            LOG.warn("sink {} → {}: batch of {} rows rejected ({}); splitting it to find the bad rows", cfg.topic,
                    cfg.table.name(), rowsRecords.size(), e.getMessage());
            batchesFailed.increment();
            insertSplitting(0, rowsRecords.size());
        }
    }

    /** Inserts rows {@code [from, to)} of the batch, halving on rejection; O(bad rows × log n) requests. */
    private void insertSplitting(int from, int to) {
        int start = from == 0 ? 0 : rowEnds.get(from - 1);
        int end = rowEnds.get(to - 1);
        byte[] part = java.util.Arrays.copyOfRange(writer.buffer(), start, end);
        try {
            ch.insertEncoded(cfg.table.name(), part, part.length, InsertOptions.defaults().withRetry(true));
            inserted.increment(to - from);
        } catch (AnalyticsQueryException e) {
            if (to - from == 1) {
                deadLetter(rowsRecords.get(from), e);
            } else {
                int mid = (from + to) >>> 1;
                insertSplitting(from, mid);
                insertSplitting(mid, to);
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception e) {
        deadLettered.increment();
        if (deadLetters == null) {
            LOG.error("sink {}: dropping poison record {}-{}@{} (no dead-letter topic): {}", cfg.topic,
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(cfg.deadLetterTopic, null, record.key(),
                record.value());
        for (Header h : record.headers()) {
            out.headers().add(h);
        }
        String msg = String.valueOf(e.getMessage());
        out.headers().add(DeadLetters.ERROR_CLASS, utf8(e.getClass().getName()));
        out.headers().add(DeadLetters.ERROR_MESSAGE, utf8(msg.length() > 1000 ? msg.substring(0, 1000) : msg));
        out.headers().add(DeadLetters.ATTEMPTS, utf8("1"));
        out.headers().add(DeadLetters.FAILED_AT, utf8(Instant.now().toString()));
        out.headers().add(DeadLetters.ORIGINAL_TOPIC, utf8(record.topic()));
        out.headers().add(DeadLetters.ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
        out.headers().add(DeadLetters.ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        out.headers().add(DeadLetters.CONSUMER, utf8(cfg.groupId));
        deadLetterWrites.add(deadLetters.send(out));
        LOG.warn("sink {}: record {}-{}@{} dead-lettered to {}: {}", cfg.topic, record.topic(), record.partition(),
                record.offset(), cfg.deadLetterTopic, msg);
    }

    private void awaitDeadLetters() {
        for (Future<RecordMetadata> f : deadLetterWrites) {
            try {
                f.get(cfg.commitTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            } catch (Exception e) {
                throw new org.apache.kafka.common.KafkaException("dead-letter write to " + cfg.deadLetterTopic
                        + " failed", e);
            }
        }
        deadLetterWrites.clear();
    }

    private void clearBatch() {
        writer.reset();
        rowsRecords.clear();
        rowEnds.clear();
        offsets.clear();
        pending = 0;
    }

    private void onRevoked() {
        if (rowsRecords.isEmpty() && offsets.isEmpty()) {
            return;
        }
        // eager rebalancing: every partition goes; write what we have if we can, otherwise the new owner replays it
        if (!paused && tryFlush()) {
            return;
        }
        clearBatch();
        deadLetterWrites.clear();
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
        lag.set(total);
    }

    private Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, cfg.groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(cfg.maxBatchRows, 5000)));
        // eager: every rebalance revokes everything, so dropping an unwritten batch never skips records we keep
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(cfg.commitTimeout.toMillis()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(cfg.kafka);
        return p;
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(cfg.commitTimeout.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(cfg.commitTimeout.toMillis()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(cfg.commitTimeout.toMillis() * 2));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
     * Stops the sink: the loop ends, writes and commits its current batch if ClickHouse answers (otherwise leaves it
     * to be replayed), and closes its Kafka clients. Waits up to 30 s for the loop thread.
     */
    @Override
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

    /** Defines an {@link EventSink}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private final AnalyticsClient client;
        private String bootstrap;
        private String topic;
        private String groupId;
        private TableSpec table;
        private EventRowMapper mapper = EventTable.MAPPER;
        private String deadLetterTopic;
        private int maxBatchRows = 10_000;
        private Duration maxBatchDelay = Duration.ofSeconds(1);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration commitTimeout = Duration.ofSeconds(10);
        private MeterRegistry registry = new SimpleMeterRegistry();
        private String service = "event-sink";
        private final Map<String, String> kafka = new LinkedHashMap<>();

        private Builder(AnalyticsClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Kafka bootstrap servers, {@code host:port[,host:port]}. */
        public Builder bootstrapServers(String servers) {
            this.bootstrap = servers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The consumer group; offsets are committed under it. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** The target table (created if missing); {@link EventTable#spec} by default with the default mapper. */
        public Builder table(TableSpec table, EventRowMapper mapper) {
            this.table = Objects.requireNonNull(table, "table");
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** Where poison records go; without one they are logged and skipped. */
        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = topic;
            return this;
        }

        /** Rows per insert (default 10,000) and the longest a record waits before its batch is sent (1 s). */
        public Builder batch(int maxRows, Duration maxDelay) {
            this.maxBatchRows = maxRows;
            this.maxBatchDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /**
         * Backoff between insert attempts while ClickHouse is unavailable or does not answer (default 100 ms doubling
         * to 5 s, ±50 % jitter).
         */
        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = Objects.requireNonNull(min, "min");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Timeout of offset commits and dead-letter writes (default 10 s). */
        public Builder commitTimeout(Duration timeout) {
            this.commitTimeout = Objects.requireNonNull(timeout, "commitTimeout");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry, String service) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.service = Objects.requireNonNull(service, "service");
            return this;
        }

        /** Extra consumer properties (security settings, fetch sizes); they override the sink's defaults. */
        public Builder kafkaProperty(String name, String value) {
            kafka.put(name, value);
            return this;
        }

        public EventSink build() {
            require(bootstrap, "bootstrapServers");
            require(topic, "topic");
            require(groupId, "groupId");
            if (table == null) {
                table = EventTable.spec(topic.replaceAll("[^A-Za-z0-9_]", "_") + "_events");
            }
            if (maxBatchRows < 1) {
                throw new IllegalArgumentException("batch maxRows must be at least 1, was " + maxBatchRows);
            }
            if (maxBatchDelay.isNegative() || maxBatchDelay.isZero()) {
                throw new IllegalArgumentException("batch maxDelay must be positive, was " + maxBatchDelay);
            }
            if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("backoff must satisfy 0 < min <= max, was " + minBackoff + ".."
                        + maxBackoff);
            }
            if (topic.equals(deadLetterTopic)) {
                throw new IllegalArgumentException("deadLetterTopic must differ from topic " + topic);
            }
            return new EventSink(this);
        }

        private static void require(String v, String name) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("EventSink " + name + " is not set");
            }
        }
    }
}
