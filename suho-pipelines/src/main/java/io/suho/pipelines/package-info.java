/**
 * What joins the stores: the outbox relay (PostgreSQL to Kafka/NATS) and the Kafka to ClickHouse event sink.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.pipelines;

import org.jspecify.annotations.NullMarked;
