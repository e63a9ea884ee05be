/**
 * Tests against real servers: {@link io.suho.test.RealStore} finds a server per store kind (explicit URL, local
 * stack, Testcontainers), or skips with the reason.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.test;

import org.jspecify.annotations.NullMarked;
