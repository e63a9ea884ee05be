/**
 * The wire records the SDK and the hub share for the hub's {@code /v1} API, so both sides read and write one
 * definition of each body (today: {@link io.suho.client.core.hub.Heartbeat}).
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.core.hub;

import org.jspecify.annotations.NullMarked;
