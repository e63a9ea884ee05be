/**
 * PostgreSQL: {@link io.suho.client.postgres.PostgresClient} (queries, transactions, streaming, replicas), the
 * transactional outbox and time series.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.postgres;

import org.jspecify.annotations.NullMarked;
