package io.suho.pipelines.internal;

import io.suho.events.DeadLetters;
import io.suho.pipelines.EventSinkConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a sink's poison records to its dead-letter topic: the original key, value and headers plus the
 * {@link DeadLetters} headers, with an idempotent producer. The batch's offsets are committed only after
 * {@link #awaitWritten()} saw every write acknowledged. Without a dead-letter topic a poison record is logged and
 * dropped. Used by the consumer thread only.
 */
final class DeadLetterWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final EventSinkConfig cfg;
    private final SinkMetrics metrics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Future<RecordMetadata>> writes = new ArrayList<>();

    DeadLetterWriter(EventSinkConfig cfg, SinkMetrics metrics) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.producer = cfg.deadLetterTopic() == null ? null : new KafkaProducer<>(producerProps(cfg));
    }

    /** Sends {@code record} to the dead-letter topic (or drops it) because of {@code error}. */
    void write(ConsumerRecord<byte[], byte[]> record, Exception error) {
        metrics.deadLettered();
        if (producer == null) {
            LOG.error("sink {}: dropping poison record {}-{}@{} (no dead-letter topic): {}", cfg.topic(),
                    record.topic(), record.partition(), record.offset(), error.getMessage());
            return;
        }
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(cfg.deadLetterTopic(), null, record.key(),
                record.value());
        for (Header h : record.headers()) {
            out.headers().add(h);
        }
        out.headers().add(DeadLetters.ERROR_CLASS, utf8(error.getClass().getName()));
        out.headers().add(DeadLetters.ERROR_MESSAGE, utf8(DeadLetters.errorMessage(error)));
        out.headers().add(DeadLetters.ATTEMPTS, utf8("1"));
        out.headers().add(DeadLetters.FAILED_AT, utf8(Instant.now().toString()));
        out.headers().add(DeadLetters.ORIGINAL_TOPIC, utf8(record.topic()));
        out.headers().add(DeadLetters.ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
        out.headers().add(DeadLetters.ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        out.headers().add(DeadLetters.CONSUMER, utf8(cfg.groupId()));
        writes.add(producer.send(out));
        LOG.warn("sink {}: record {}-{}@{} dead-lettered to {}: {}", cfg.topic(), record.topic(), record.partition(),
                record.offset(), cfg.deadLetterTopic(), error.getMessage());
    }

    /**
     * Waits for every write since the last call to be acknowledged.
     *
     * @throws KafkaException when one failed (the caller starts over from the committed offsets)
     */
    void awaitWritten() {
        for (Future<RecordMetadata> f : writes) {
            try {
                f.get(cfg.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (Exception e) {
                throw new KafkaException("dead-letter write to " + cfg.deadLetterTopic() + " failed", e);
            }
        }
        writes.clear();
    }

    /** Forgets unacknowledged writes: their records are read again from the committed offsets. */
    void discard() {
        writes.clear();
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private static Properties producerProps(EventSinkConfig cfg) {
        long timeout = cfg.commitTimeout().toMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout * 2));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
