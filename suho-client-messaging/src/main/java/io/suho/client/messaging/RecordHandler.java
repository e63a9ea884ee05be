package io.suho.client.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Application code that processes one raw Kafka record — for topics that do not carry Suho event envelopes
 * (Debezium change events, Avro or Protobuf from another team, plain JSON): the key, value, headers, topic,
 * partition, offset and timestamp as the broker delivered them, bytes untouched. Run it with
 * {@link KafkaClient#consumeRecords}. The loop's guarantees are those of {@link EventHandler}: returning commits the
 * offset (at the end of the poll batch), throwing retries the record up to the spec's {@code maxAttempts}, then the
 * record goes to the dead-letter topic unchanged with {@link io.suho.events.DeadLetters} headers; throw
 * {@link EventHandler.PermanentFailure} to skip the retries. Delivery is at least once: deduplicate on something in
 * the record (a business key, or topic-partition-offset).
 */
@FunctionalInterface
public interface RecordHandler {

    void handle(ConsumerRecord<byte[], byte[]> record) throws Exception;
}
