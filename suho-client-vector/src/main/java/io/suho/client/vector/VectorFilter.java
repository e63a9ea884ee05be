package io.suho.client.vector;

import io.suho.client.vector.internal.Names;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A filter on property values for {@link VectorQuery#filter(VectorFilter)}, independent of the driver so it can be
 * built, compared and logged anywhere. Values are String, Long/Integer, Double/Float, Boolean, OffsetDateTime or
 * UUID (others are rejected when the filter is built). Immutable.
 *
 * <pre>{@code
 * VectorFilter f = VectorFilter.and(VectorFilter.eq("symbol", "AAPL"), VectorFilter.gte("confidence", 0.8));
 * }</pre>
 */
public sealed interface VectorFilter {

    /** Comparison operators. */
    enum Op {
        EQ, NE, LT, LTE, GT, GTE, LIKE, CONTAINS_ANY, CONTAINS_ALL, IS_NULL
    }

    /** {@code property <op> value}. */
    record Comparison(String property, Op op, Object value) implements VectorFilter {
        public Comparison {
            property = Names.filterProperty(property);
            Objects.requireNonNull(op, "op");
            value = checkValue(property, op, value);
        }
    }

    /** All of the filters. */
    record And(List<VectorFilter> filters) implements VectorFilter {
        public And {
            filters = nonEmpty("and", filters);
        }
    }

    /** Any of the filters. */
    record Or(List<VectorFilter> filters) implements VectorFilter {
        public Or {
            filters = nonEmpty("or", filters);
        }
    }

    /** The filter does not hold. */
    record Not(VectorFilter filter) implements VectorFilter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }
    }

    static VectorFilter eq(String property, Object value) {
        return new Comparison(property, Op.EQ, value);
    }

    static VectorFilter ne(String property, Object value) {
        return new Comparison(property, Op.NE, value);
    }

    static VectorFilter lt(String property, Object value) {
        return new Comparison(property, Op.LT, value);
    }

    static VectorFilter lte(String property, Object value) {
        return new Comparison(property, Op.LTE, value);
    }

    static VectorFilter gt(String property, Object value) {
        return new Comparison(property, Op.GT, value);
    }

    static VectorFilter gte(String property, Object value) {
        return new Comparison(property, Op.GTE, value);
    }

    /** Wildcard text match: {@code *} any characters, {@code ?} one character. */
    static VectorFilter like(String property, String pattern) {
        return new Comparison(property, Op.LIKE, pattern);
    }

    /** The array property holds at least one of the values. */
    static VectorFilter containsAny(String property, List<?> values) {
        return new Comparison(property, Op.CONTAINS_ANY, values);
    }

    /** The array property holds all of the values. */
    static VectorFilter containsAll(String property, List<?> values) {
        return new Comparison(property, Op.CONTAINS_ALL, values);
    }

    /** The property is absent/null ({@code true}) or present ({@code false}); needs null-state indexing. */
    static VectorFilter isNull(String property, boolean isNull) {
        return new Comparison(property, Op.IS_NULL, isNull);
    }

    static VectorFilter and(VectorFilter... filters) {
        return new And(List.of(filters));
    }

    static VectorFilter or(VectorFilter... filters) {
        return new Or(List.of(filters));
    }

    static VectorFilter not(VectorFilter filter) {
        return new Not(filter);
    }

    private static List<VectorFilter> nonEmpty(String op, List<VectorFilter> filters) {
        Objects.requireNonNull(filters, op);
        if (filters.isEmpty()) {
            throw new IllegalArgumentException(op + "() needs at least one filter");
        }
        return List.copyOf(filters);
    }

    private static Object checkValue(String property, Op op, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("filter on '" + property + "' has a null value; use isNull()");
        }
        switch (op) {
            case IS_NULL -> {
                if (!(value instanceof Boolean)) {
                    throw new IllegalArgumentException("isNull filter on '" + property + "' takes true or false");
                }
            }
            case LIKE -> {
                if (!(value instanceof String)) {
                    throw new IllegalArgumentException("like filter on '" + property + "' takes a String pattern");
                }
            }
            case CONTAINS_ANY, CONTAINS_ALL -> {
                if (!(value instanceof List<?> list) || list.isEmpty()) {
                    throw new IllegalArgumentException(op + " filter on '" + property + "' takes a non-empty list");
                }
                Class<?> first = scalarKind(property, list.get(0));
                for (Object o : list) {
                    if (o == null || scalarKind(property, o) != first) {
                        throw new IllegalArgumentException(op + " filter on '" + property
                                + "' needs values of one type, got " + list);
                    }
                }
                return List.copyOf(list);
            }
            default -> scalarKind(property, value);
        }
        return value;
    }

    /** The family a scalar value belongs to; rejects unsupported types. */
    private static Class<?> scalarKind(String property, Object v) {
        if (v instanceof String || v instanceof UUID) {
            return String.class;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return Long.class;
        }
        if (v instanceof Double || v instanceof Float) {
            return Double.class;
        }
        if (v instanceof Boolean) {
            return Boolean.class;
        }
        if (v instanceof OffsetDateTime) {
            return OffsetDateTime.class;
        }
        throw new IllegalArgumentException("filter on '" + property + "' has a value of unsupported type "
                + v.getClass().getName() + "; use String, Long, Integer, Double, Float, Boolean, OffsetDateTime or UUID");
    }
}
