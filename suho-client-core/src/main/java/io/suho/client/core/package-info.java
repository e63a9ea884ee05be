/**
 * The SDK's entry point and shared model: {@link io.suho.client.core.SuhoClients}, configuration, endpoints, health
 * and the three outcome exceptions every store call ends in.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.core;

import org.jspecify.annotations.NullMarked;
