/**
 * Weaviate: {@link io.suho.client.vector.VectorClient} for collections, upserts and vector/hybrid search.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.vector;

import org.jspecify.annotations.NullMarked;
