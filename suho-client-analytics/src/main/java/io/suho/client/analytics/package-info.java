/**
 * ClickHouse: {@link io.suho.client.analytics.AnalyticsClient} for typed queries, inserts and batch inserters.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.analytics;

import org.jspecify.annotations.NullMarked;
