package io.suho.client.messaging.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.suho.client.core.spi.CallDetail;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.EventHandler;
import io.suho.client.messaging.KafkaConsumerSpec;
import io.suho.events.DeadLetters;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.events.EventFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a consumer group on its own thread. At least once: a record's offset becomes committable only after
 * the handler returned (or the record was dead-lettered); offsets are committed synchronously at the end of each
 * poll batch, when partitions are revoked (rebalance) and on stop. A record whose dead-lettering fails (Kafka away)
 * is not skipped: the loop seeks back to it and tries again on the next poll. Each handler call runs as a consumer
 * observation continuing the producer's trace ({@code traceparent}), with {@code traceId}/{@code spanId} in the MDC.
 * What the handler gets — decoded events or raw records, one at a time or one partition's poll batch at a time — is
 * the {@link Delivery}'s choice; batches are retried whole, then one record at a time.
 */
final class KafkaConsumerLoop implements EventConsumer {
    private static final Logger log = LoggerFactory.getLogger(KafkaConsumerLoop.class);

    private final ApacheKafkaClient kafka;
    private final KafkaConsumerSpec spec;
    private final Delivery<ConsumerRecord<byte[], byte[]>> delivery;
    private final Map<String, Object> props;
    private final int index;
    private final MeterRegistry registry;
    private final String service;
    private final Consumer<EventConsumer> onClosed;
    private final String dlqTopic;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Counter okCounter;
    private final Counter retryCounter;
    private final Counter dlqCounter;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    KafkaConsumerLoop(ApacheKafkaClient kafka, KafkaConsumerSpec spec, Delivery<ConsumerRecord<byte[], byte[]>> delivery,
            Map<String, Object> base, int index, MeterRegistry registry, String service,
            Consumer<EventConsumer> onClosed) {
        this.kafka = kafka;
        this.spec = spec;
        this.delivery = delivery;
        this.index = index;
        this.registry = registry;
        this.service = service;
        this.onClosed = onClosed;
        this.dlqTopic = spec.effectiveDeadLetterTopic();
        Map<String, Object> p = new HashMap<>(base);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, spec.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, spec.maxPollRecords());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(spec.properties());
        this.props = p;
        this.okCounter = counter("success");
        this.retryCounter = counter("retry");
        this.dlqCounter = counter("dead_letter");
    }

    private Counter counter(String outcome) {
        return Counter.builder("suho.kafka.consumer.events").description("Events processed by Kafka consumer loops")
                .tag("service", service).tag("group", spec.groupId()).tag("outcome", outcome).register(registry);
    }

    void start() {
        consumer = new KafkaConsumer<>(props);
        thread = new Thread(this::loop, "suho-kafka-consumer-" + spec.groupId() + "-" + index);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        KafkaClientMetrics metrics = new KafkaClientMetrics(c, List.of(Tag.of("service", service)));
        metrics.bindTo(registry);
        try {
            c.subscribe(spec.topics(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit(c, partitions); // before another member takes them over
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    log.debug("{} assigned {}", spec.groupId(), partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(pending::remove); // already owned by someone else: cannot commit
                }
            });
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<byte[], byte[]>> part = records.records(tp);
                    // each record's offset becomes pending as soon as it is done, so an Error escaping a later
                    // handler call still lets the final commit cover what was finished
                    int done = delivery.batches() ? processBatch(tp, part) : processEach(tp, part);
                    if (done < part.size()) {
                        c.seek(tp, part.get(done).offset()); // retry this record (and the rest) on the next poll
                    }
                }
                commit(c, null);
            }
        } catch (WakeupException e) {
            // stop() woke us up; fall through to the final commit
        } catch (RuntimeException e) {
            log.error("Kafka consumer {}-{} stopped on an unexpected error", spec.groupId(), index, e);
        } finally {
            running = false;
            try {
                commit(c, null);
            } catch (RuntimeException e) {
                log.warn("final commit of {} failed: {}", spec.groupId(), e.toString());
            }
            try {
                c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(kafka.timeout()));
            } catch (RuntimeException e) {
                log.debug("closing consumer {} failed: {}", spec.groupId(), e.toString());
            }
            metrics.close();
            finished.countDown();
            onClosed.accept(this);
        }
    }

    /** Commits pending offsets (of {@code only} partitions, or all); keeps them pending when the commit fails. */
    private void commit(KafkaConsumer<byte[], byte[]> c, Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        pending.forEach((tp, om) -> {
            if (only == null || only.contains(tp)) {
                toCommit.put(tp, om);
            }
        });
        if (toCommit.isEmpty()) {
            return;
        }
        try {
            c.commitSync(toCommit, kafka.timeout());
            toCommit.keySet().forEach(pending::remove);
        } catch (WakeupException e) {
            throw e; // pending kept; the final commit in the finally block retries
        } catch (RuntimeException e) {
            log.warn("commit of {} for group {} failed ({}); records after the last commit may be redelivered",
                    toCommit, spec.groupId(), e.toString());
            if (only != null) {
                only.forEach(pending::remove);
            }
        }
    }

    /** Processes records one at a time, in order; how many were handled or dead-lettered (the rest are retried). */
    private int processEach(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            if (!process(records.get(i))) {
                return i;
            }
            pending.put(tp, new OffsetAndMetadata(records.get(i).offset() + 1));
        }
        return records.size();
    }

    /**
     * Processes one partition's records with a batch handler: runs of valid deliveries (an undecodable event splits
     * the run and is dead-lettered alone) go to the handler as one batch, retried as a whole up to
     * {@code maxAttempts}; a batch that still fails (or throws {@link EventHandler.PermanentFailure}) is handed over
     * one record at a time with the single-record rules. How many records, in order, were handled or dead-lettered.
     */
    private int processBatch(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> run = new ArrayList<>(records.size());
        List<Event> events = new ArrayList<>(records.size());
        int done = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (delivery.needsEvent()) {
                Event e;
                try {
                    e = Event.fromKafka(r);
                } catch (EventFormatException bad) {
                    int ran = runBatch(tp, run, events);
                    done += ran;
                    if (ran < run.size() || !deadLetter(r, bad, 0)) {
                        return done;
                    }
                    pending.put(tp, new OffsetAndMetadata(r.offset() + 1));
                    done++;
                    run.clear();
                    events.clear();
                    continue;
                }
                events.add(e);
            }
            run.add(r);
        }
        return done + runBatch(tp, run, events);
    }

    /** One batch: whole, retried; then one by one. How many of {@code run}, in order, were handled or dead-lettered. */
    private int runBatch(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> run, List<Event> events) {
        if (run.isEmpty()) {
            return 0;
        }
        List<ConsumerRecord<byte[], byte[]>> batch = List.copyOf(run);
        List<Event> batchEvents = List.copyOf(events);
        int attempt = 0;
        while (attempt < spec.maxAttempts()) {
            attempt++;
            try {
                kafka.executor().process("kafka_consume_batch", CallDetail.received(batch.get(0).topic(), Map.of()),
                        () -> {
                            delivery.batch(batch, batchEvents);
                            return null;
                        });
                handled.addAndGet(batch.size());
                okCounter.increment(batch.size());
                pending.put(tp, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
                return batch.size();
            } catch (EventHandler.PermanentFailure e) {
                break;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                retryCounter.increment();
                log.debug("batch handler failed for {} records from {}-{}@{}, attempt {} of {}: {}", batch.size(),
                        batch.get(0).topic(), batch.get(0).partition(), batch.get(0).offset(), attempt,
                        spec.maxAttempts(), e.toString());
                if (attempt < spec.maxAttempts()) {
                    backoff();
                }
            }
        }
        log.debug("batch of {} records from {}-{}@{} failed; handing them over one at a time", batch.size(),
                batch.get(0).topic(), batch.get(0).partition(), batch.get(0).offset());
        return processEach(tp, batch);
    }

    /** Handles one record with bounded retries; false when it could be neither handled nor dead-lettered. */
    private boolean process(ConsumerRecord<byte[], byte[]> r) {
        Event event = null;
        if (delivery.needsEvent()) {
            try {
                event = Event.fromKafka(r);
            } catch (EventFormatException e) {
                return deadLetter(r, e, 0);
            }
        }
        Exception last = null;
        int attempt = 0;
        while (attempt < spec.maxAttempts()) {
            attempt++;
            try {
                Event received = event;
                kafka.executor().process("kafka_consume", CallDetail.received(r.topic(),
                        event != null ? TraceHeaders.of(event) : rawTrace(r)), () -> {
                            delivery.one(r, received);
                            return null;
                        });
                handled.incrementAndGet();
                okCounter.increment();
                return true;
            } catch (EventHandler.PermanentFailure e) {
                last = e;
                break;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                last = e;
                retryCounter.increment();
                log.debug("handler failed for {} ({}-{}@{}), attempt {} of {}: {}",
                        event != null ? "event " + event.id() : "record", r.topic(),
                        r.partition(), r.offset(), attempt, spec.maxAttempts(), e.toString());
                if (attempt < spec.maxAttempts()) {
                    backoff();
                }
            }
        }
        return deadLetter(r, last, attempt);
    }

    private void backoff() {
        try {
            // also returns early when stopping; the remaining attempts still run so the batch finishes
            stop.await(spec.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean deadLetter(ConsumerRecord<byte[], byte[]> r, Exception error, int attempts) {
        RecordHeaders h = new RecordHeaders();
        for (Header header : r.headers()) {
            if (!header.key().startsWith("suho-dlq-")) {
                h.add(header);
            }
        }
        h.add(DeadLetters.ERROR_CLASS, utf8(error.getClass().getName()));
        h.add(DeadLetters.ERROR_MESSAGE, utf8(DeadLetters.errorMessage(error)));
        h.add(DeadLetters.ATTEMPTS, utf8(Integer.toString(attempts)));
        h.add(DeadLetters.FAILED_AT, utf8(Instant.now().toString()));
        h.add(DeadLetters.ORIGINAL_TOPIC, utf8(r.topic()));
        h.add(DeadLetters.ORIGINAL_PARTITION, utf8(Integer.toString(r.partition())));
        h.add(DeadLetters.ORIGINAL_OFFSET, utf8(Long.toString(r.offset())));
        h.add(DeadLetters.CONSUMER, utf8(spec.groupId()));
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(dlqTopic, null, r.key(), r.value(), h);
        try {
            ApacheKafkaClient.join(kafka.sendRecord("kafka_dlq_send", out));
            deadLettered.incrementAndGet();
            dlqCounter.increment();
            log.warn("dead-lettered {}-{}@{} to {} after {} attempts: {}", r.topic(), r.partition(), r.offset(),
                    dlqTopic, attempts, error.toString());
            return true;
        } catch (RuntimeException e) {
            log.warn("could not dead-letter {}-{}@{} to {} ({}); it will be retried", r.topic(), r.partition(),
                    r.offset(), dlqTopic, e.toString());
            backoff();
            return false;
        }
    }

    /** The W3C trace headers of a raw record, when its producer set them. */
    private static Map<String, String> rawTrace(ConsumerRecord<byte[], byte[]> r) {
        Header parent = r.headers().lastHeader(EventCodec.TRACEPARENT);
        if (parent == null || parent.value() == null) {
            return Map.of();
        }
        Header state = r.headers().lastHeader(EventCodec.TRACESTATE);
        String p = new String(parent.value(), StandardCharsets.UTF_8);
        return state == null || state.value() == null ? Map.of(EventCodec.TRACEPARENT, p)
                : Map.of(EventCodec.TRACEPARENT, p, EventCodec.TRACESTATE,
                        new String(state.value(), StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return spec.groupId();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public long handled() {
        return handled.get();
    }

    @Override
    public long deadLettered() {
        return deadLettered.get();
    }

    void signalStop() {
        running = false;
        stop.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void close() {
        signalStop();
        try {
            if (thread != null && !finished.await(kafka.timeout().toMillis() * 3 + 5_000, TimeUnit.MILLISECONDS)) {
                log.warn("Kafka consumer {}-{} did not stop in time; interrupting", spec.groupId(), index);
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
