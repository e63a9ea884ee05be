/**
 * NATS JetStream and Kafka: {@link io.suho.client.messaging.NatsClient}, {@link io.suho.client.messaging.KafkaClient}
 * and the hybrid {@link io.suho.client.messaging.EventPublisher}, consumers and dead letters.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.messaging;

import org.jspecify.annotations.NullMarked;
