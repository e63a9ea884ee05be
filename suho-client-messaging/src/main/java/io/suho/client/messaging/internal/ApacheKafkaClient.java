package io.suho.client.messaging.internal;

import io.suho.client.core.NativeCall;
import io.suho.client.core.spi.CallDetail;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.messaging.BatchHandler;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.EventHandler;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.KafkaConsumerSpec;
import io.suho.client.messaging.RecordHandler;
import io.suho.client.messaging.TopicSpec;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@link KafkaClient} over the runtime's idempotent producer (sends, with caller deadlines and re-send joining from
 * {@link KafkaSends}), its topic provisioning ({@link KafkaAdmin}) and its consumer loops ({@link KafkaConsumers}).
 * Every call runs through the store's pipeline. The {@link KafkaRuntime} owns and closes what this uses. Thread-safe.
 */
public final class ApacheKafkaClient implements KafkaClient {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final KafkaSettings settings;
    private final StoreExecutor exec;
    private final Producer<byte[], byte[]> producer;
    private final KafkaSends sends;
    private final KafkaAdmin admin;
    private final KafkaConsumers consumers;
    private final Set<String> validTopics = ConcurrentHashMap.newKeySet();

    ApacheKafkaClient(KafkaSettings settings, StoreExecutor exec, Producer<byte[], byte[]> producer, KafkaSends sends,
            KafkaAdmin admin, KafkaConsumers consumers) {
        this.settings = settings;
        this.exec = exec;
        this.producer = producer;
        this.sends = sends;
        this.admin = admin;
        this.consumers = consumers;
    }

    // ------------------------------------------------------------------ producer

    @Override
    public CompletionStage<RecordMetadata> send(String topic, Event event) {
        Objects.requireNonNull(event, "event");
        String t = requireTopic(topic);
        UUID id = event.id();
        KafkaSends.Late earlier = sends.earlier(id);
        if (earlier != null) {
            // an earlier attempt of this event timed out for its caller but is still in the producer (or was acked
            // since): wait for that one instead of writing a second record
            return exec.callAsync("kafka_send", false, () -> sends.join("kafka_send", id, earlier));
        }
        // the record is built inside the call: the send's observation has written its trace headers by then
        CallDetail detail = CallDetail.sending(t);
        return exec.callAsync("kafka_send", detail, false,
                () -> produce("kafka_send", id, EventCodec.toKafka(t, event.withTraceContext(detail.traceHeaders()))));
    }

    @Override
    public RecordMetadata sendAndWait(String topic, Event event) {
        return join(send(topic, event));
    }

    @Override
    public CompletionStage<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        Objects.requireNonNull(record, "record");
        requireTopic(record.topic());
        return sendRecord("kafka_send", record);
    }

    CompletionStage<RecordMetadata> sendRecord(String operation, ProducerRecord<byte[], byte[]> record) {
        CallDetail detail = CallDetail.sending(record.topic());
        return exec.callAsync(operation, detail, false, () -> {
            detail.traceHeaders().forEach((name, value) -> {
                record.headers().remove(name);
                record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
            });
            return produce(operation, null, record);
        });
    }

    /** The store executor, for the consumer loops' handler observations. */
    StoreExecutor executor() {
        return exec;
    }

    /**
     * Never retried by the SDK: the idempotent producer retries internally (same sequence number, deduplicated by
     * the broker) for {@code delivery.timeout.ms}; a second send() would be a second record.
     */
    private KafkaSends.Send produce(String operation, UUID eventId, ProducerRecord<byte[], byte[]> record) {
        KafkaSends.Send s = sends.track(operation, eventId);
        try {
            producer.send(record, s); // a failure before the append (no metadata, too large) comes to s at once
        } catch (RuntimeException e) {
            s.onCompletion(null, e); // thrown without calling back (serialisation, interrupt, producer closed)
        }
        return s;
    }

    /** Waits for a stage and rethrows its unchecked cause as it is (not wrapped in a CompletionException). */
    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable c = Causes.unwrap(e);
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private String requireTopic(String topic) {
        if (topic != null && validTopics.contains(topic)) {
            return topic;
        }
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("Kafka topic name '" + topic + "' must be 1-249 of [A-Za-z0-9._-]");
        }
        if (validTopics.size() < 10_000) {
            validTopics.add(topic);
        }
        return topic;
    }

    // ------------------------------------------------------------------ admin and consumers

    @Override
    public boolean ensureTopic(TopicSpec spec) {
        return admin.ensureTopic(spec);
    }

    @Override
    public EventConsumer consume(KafkaConsumerSpec spec, EventHandler handler) {
        return start(spec, Delivery.events(handler));
    }

    @Override
    public EventConsumer consumeRecords(KafkaConsumerSpec spec, RecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return start(spec, Delivery.raw((r, e) -> handler.handle(r)));
    }

    @Override
    public EventConsumer consumeBatches(KafkaConsumerSpec spec, BatchHandler<Event> handler) {
        return start(spec, Delivery.eventBatches(handler));
    }

    @Override
    public EventConsumer consumeRecordBatches(KafkaConsumerSpec spec,
            BatchHandler<ConsumerRecord<byte[], byte[]>> handler) {
        return start(spec, Delivery.rawBatches(handler));
    }

    private EventConsumer start(KafkaConsumerSpec spec, Delivery<ConsumerRecord<byte[], byte[]>> delivery) {
        Objects.requireNonNull(spec, "spec");
        ensureTopic(TopicSpec.of(spec.effectiveDeadLetterTopic()));
        return consumers.start(this, spec, delivery);
    }

    /** The store timeout (consumer loops bound their commits and close by it). */
    Duration timeout() {
        return settings.timeout();
    }

    // ------------------------------------------------------------------ escape hatches

    @Override
    public Properties connectionProperties() {
        return settings.connection();
    }

    @Override
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public <R> R execute(String operation, boolean idempotent, NativeCall<Producer<byte[], byte[]>, R> call) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        return exec.call(operation, idempotent, () -> call.call(producer));
    }
}
