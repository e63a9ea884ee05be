package io.suho.client.messaging.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.suho.client.messaging.EventConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.suho.client.messaging.KafkaConsumerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The consumer loops a Kafka client started and has not closed yet: one {@link KafkaConsumerLoop} per thread of a
 * {@link KafkaConsumerSpec}, several loops of one group seen as one {@link EventConsumer}. The runtime closes what is
 * left on close and counts them in its probe. Thread-safe.
 */
final class KafkaConsumers {
    private final Map<String, Object> base;
    private final String clientIdBase;
    private final MeterRegistry registry;
    private final String service;
    private final List<EventConsumer> running = new CopyOnWriteArrayList<>();

    KafkaConsumers(Map<String, Object> base, String clientIdBase, MeterRegistry registry, String service) {
        this.base = Map.copyOf(base);
        this.clientIdBase = clientIdBase;
        this.registry = registry;
        this.service = service;
    }

    /** Starts the spec's loops; their dead letters are sent through {@code kafka}. */
    EventConsumer start(ApacheKafkaClient kafka, KafkaConsumerSpec spec,
            Delivery<ConsumerRecord<byte[], byte[]>> handler) {
        List<KafkaConsumerLoop> loops = new ArrayList<>();
        for (int i = 0; i < spec.threads(); i++) {
            Map<String, Object> c = new HashMap<>(base);
            c.put("client.id", clientIdBase + "-" + spec.groupId() + "-" + i);
            KafkaConsumerLoop loop = new KafkaConsumerLoop(kafka, spec, handler, c, i, registry, service,
                    spec.threads() == 1 ? running::remove : x -> { });
            loops.add(loop);
        }
        EventConsumer consumer = loops.size() == 1 ? loops.get(0) : new ConsumerGroup(spec.groupId(), loops);
        running.add(consumer);
        loops.forEach(KafkaConsumerLoop::start);
        return consumer;
    }

    /** Consumers started and not closed. */
    int size() {
        return running.size();
    }

    /** Closes every consumer still running (each commits what its handler finished). */
    void closeAll() {
        for (EventConsumer c : List.copyOf(running)) {
            c.close();
        }
    }

    /** Several consumer loops of one group seen as one consumer. */
    private final class ConsumerGroup implements EventConsumer {
        private final String name;
        private final List<KafkaConsumerLoop> loops;

        ConsumerGroup(String name, List<KafkaConsumerLoop> loops) {
            this.name = name;
            this.loops = List.copyOf(loops);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isRunning() {
            return loops.stream().anyMatch(KafkaConsumerLoop::isRunning);
        }

        @Override
        public long handled() {
            return loops.stream().mapToLong(KafkaConsumerLoop::handled).sum();
        }

        @Override
        public long deadLettered() {
            return loops.stream().mapToLong(KafkaConsumerLoop::deadLettered).sum();
        }

        @Override
        public void close() {
            loops.forEach(KafkaConsumerLoop::signalStop);
            loops.forEach(KafkaConsumerLoop::close);
            running.remove(this);
        }
    }
}
