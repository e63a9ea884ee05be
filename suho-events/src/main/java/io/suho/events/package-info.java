/**
 * The event envelope ({@link io.suho.events.Event}), its CloudEvents header mapping for Kafka and NATS
 * ({@link io.suho.events.EventCodec}) and the dead-letter headers.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.events;

import org.jspecify.annotations.NullMarked;
