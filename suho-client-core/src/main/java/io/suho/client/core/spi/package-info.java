/**
 * The contract between the SDK core and a store module ({@link io.suho.client.core.spi.StoreModule}), and the
 * pieces a module uses: the call pipeline, failure classification, backoff, driver log levels.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.core.spi;

import org.jspecify.annotations.NullMarked;
