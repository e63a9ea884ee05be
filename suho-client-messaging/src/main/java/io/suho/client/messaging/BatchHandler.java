package io.suho.client.messaging;

import java.util.List;

/**
 * Application code that processes a batch of deliveries at once — one multi-row insert instead of a statement per
 * event, one bulk call to another service. The element type says what is delivered: {@code Event} (Suho envelopes,
 * decoded), {@code ConsumerRecord<byte[], byte[]>} (raw Kafka records) or {@code io.nats.client.Message} (raw
 * JetStream messages). Never called with an empty list.
 *
 * <p>What a batch is and what returning or throwing means:
 * <ul>
 *   <li><b>Kafka</b> ({@link KafkaClient#consumeBatches}, {@link KafkaClient#consumeRecordBatches}): the records of
 *       one partition from one poll, in offset order, at most {@code maxPollRecords} (so ordering per partition
 *       holds, and one batch never mixes partitions). Returning makes every offset of the batch committable (the
 *       commit follows at the end of the poll). Throwing retries the whole batch up to {@code maxAttempts} times with
 *       {@code retryBackoff}; after that — or at once on {@link EventHandler.PermanentFailure} — the batch's records
 *       are handed over <b>one at a time</b> (a list of one), each with the single-record rules (its own
 *       {@code maxAttempts}, then the dead-letter topic), so only the records that fail alone are dead-lettered. In
 *       an {@code Event} batch a record that is not a valid envelope never reaches the handler: it goes to the dead
 *       letters on its own and the batch is split around it.</li>
 *   <li><b>NATS JetStream</b> ({@link NatsClient#consumeBatches}, {@link NatsClient#consumeMessageBatches}): the
 *       messages of one fetch, at most the spec's {@code batchSize}, in stream order. Returning acks each of them.
 *       Throwing (or {@link EventHandler.PermanentFailure}) hands the batch's messages over <b>one at a time</b> with
 *       the single-message rules (nak with {@code retryDelay}, dead letters after {@code maxDeliver} deliveries).</li>
 * </ul>
 * Delivery is at least once either way: a batch may be delivered again, whole or in part (after a crash, a
 * rebalance, or one at a time after a failure), so the handler must be idempotent.
 *
 * @param <T> what is delivered
 */
@FunctionalInterface
public interface BatchHandler<T> {

    void handle(List<T> batch) throws Exception;
}
