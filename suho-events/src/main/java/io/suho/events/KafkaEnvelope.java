package io.suho.events;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The envelope on Kafka records ({@link CloudEventHeaders#KAFKA}, key = record key). Kept apart from
 * {@link EventCodec} so that only a caller of the Kafka methods needs kafka-clients on the classpath.
 */
final class KafkaEnvelope {
    private KafkaEnvelope() {
    }

    static ProducerRecord<byte[], byte[]> toRecord(String topic, Event event) {
        RecordHeaders h = new RecordHeaders();
        CloudEventHeaders.KAFKA.write(event, (name, value) -> h.add(name, value.getBytes(StandardCharsets.UTF_8)));
        byte[] key = event.key() == null ? null : event.key().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, key, event.payloadUnsafe(), h);
    }

    static Event fromRecord(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            // a repeated name keeps its first position and its last value, as Kafka's lastHeader reads it
            headers.put(header.key(), header.value() == null ? "" : new String(header.value(),
                    StandardCharsets.UTF_8));
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return CloudEventHeaders.KAFKA.read("Kafka record " + record.topic() + "-" + record.partition() + "@"
                + record.offset(), headers, null, key, record.value(), record.timestamp());
    }
}
