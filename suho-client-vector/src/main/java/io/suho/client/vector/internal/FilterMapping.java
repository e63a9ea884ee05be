package io.suho.client.vector.internal;

import io.suho.client.vector.VectorFilter;
import io.weaviate.client6.v1.api.collections.query.Filter;
import io.weaviate.client6.v1.api.collections.query.FilterOperand;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Turns a driver-independent {@link VectorFilter} into the Weaviate client's {@link Filter}. */
public final class FilterMapping {
    private FilterMapping() {
    }

    public static Filter toWeaviate(VectorFilter filter) {
        if (filter instanceof VectorFilter.And and) {
            return Filter.and(operands(and.filters()));
        }
        if (filter instanceof VectorFilter.Or or) {
            return Filter.or(operands(or.filters()));
        }
        if (filter instanceof VectorFilter.Not not) {
            return Filter.not(toWeaviate(not.filter()));
        }
        VectorFilter.Comparison c = (VectorFilter.Comparison) filter;
        Filter.FilterBuilder p = Filter.property(c.property());
        Object v = scalar(c.value());
        return switch (c.op()) {
            case EQ -> p.eq(v);
            case NE -> p.ne(v);
            case LT -> p.lt(v);
            case LTE -> p.lte(v);
            case GT -> p.gt(v);
            case GTE -> p.gte(v);
            case LIKE -> p.like((String) v);
            case IS_NULL -> p.isNull((Boolean) v);
            case CONTAINS_ANY -> containsAny(p, (List<?>) c.value());
            case CONTAINS_ALL -> containsAll(p, (List<?>) c.value());
        };
    }

    private static List<FilterOperand> operands(List<VectorFilter> filters) {
        List<FilterOperand> out = new ArrayList<>(filters.size());
        for (VectorFilter f : filters) {
            out.add(toWeaviate(f));
        }
        return out;
    }

    /** The driver wants Long for integers, Double for decimals and text for UUIDs. */
    static Object scalar(Object v) {
        if (v instanceof Integer || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof UUID u) {
            return u.toString();
        }
        return v;
    }

    private static Filter containsAny(Filter.FilterBuilder p, List<?> values) {
        Object first = scalar(values.get(0));
        if (first instanceof String) {
            return p.containsAny(values.stream().map(x -> (String) scalar(x)).toArray(String[]::new));
        }
        if (first instanceof Long) {
            return p.containsAny(values.stream().map(x -> (Long) scalar(x)).toArray(Long[]::new));
        }
        if (first instanceof Double) {
            return p.containsAny(values.stream().map(x -> (Double) scalar(x)).toArray(Double[]::new));
        }
        if (first instanceof Boolean) {
            return p.containsAny(values.toArray(Boolean[]::new));
        }
        return p.containsAny(values.toArray(OffsetDateTime[]::new));
    }

    private static Filter containsAll(Filter.FilterBuilder p, List<?> values) {
        Object first = scalar(values.get(0));
        if (first instanceof String) {
            return p.containsAll(values.stream().map(x -> (String) scalar(x)).toArray(String[]::new));
        }
        if (first instanceof Long) {
            return p.containsAll(values.stream().map(x -> (Long) scalar(x)).toArray(Long[]::new));
        }
        if (first instanceof Double) {
            return p.containsAll(values.stream().map(x -> (Double) scalar(x)).toArray(Double[]::new));
        }
        if (first instanceof Boolean) {
            return p.containsAll(values.toArray(Boolean[]::new));
        }
        return p.containsAll(values.toArray(OffsetDateTime[]::new));
    }
}
