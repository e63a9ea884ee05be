package io.suho.client.vector.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks object property values before they are sent, so an unsupported type fails with the property's name
 * instead of being dropped by the driver. Accepts String, Number, Boolean, UUID, OffsetDateTime, Instant (sent as
 * UTC), lists and nested maps of these.
 */
public final class PropertyValues {
    private PropertyValues() {
    }

    public static Map<String, Object> normalize(String id, Map<String, Object> properties) {
        Map<String, Object> out = new LinkedHashMap<>(properties.size() * 2);
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            String name = Names.property(e.getKey());
            out.put(name, value(id, name, e.getValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object value(String id, String name, Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof UUID
                || v instanceof OffsetDateTime) {
            return v;
        }
        if (v instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(value(id, name, o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            return normalize(id, (Map<String, Object>) m);
        }
        throw new IllegalArgumentException("property '" + name + "' of object " + id + " has a value of type "
                + v.getClass().getName() + "; use String, Number, Boolean, UUID, OffsetDateTime, Instant, List or Map");
    }
}
