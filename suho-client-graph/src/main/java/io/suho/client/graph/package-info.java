/**
 * ArangoDB: {@link io.suho.client.graph.GraphClient} for documents, edges, traversals and AQL.
 *
 * <p>Null-marked (JSpecify): a parameter, result or field is never {@code null} unless it is {@code @Nullable}.
 */
@NullMarked
package io.suho.client.graph;

import org.jspecify.annotations.NullMarked;
