package io.suho.client.cache.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.suho.client.cache.CacheValueException;

/** JSON for cache values: one Jackson mapper (the SDK's or the application's), failures turned into {@link CacheValueException}. */
final class Json {
    private final ObjectMapper mapper;

    Json() {
        // unknown properties are tolerated so an older reader survives a newer writer during a rollout
        this(new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    /** JSON through the application's own mapper, used as given. */
    Json(ObjectMapper mapper) {
        this.mapper = java.util.Objects.requireNonNull(mapper, "mapper");
    }

    JavaType type(Class<?> type) {
        return mapper.constructType(type);
    }

    JavaType type(com.fasterxml.jackson.core.type.TypeReference<?> type) {
        return mapper.getTypeFactory().constructType(type);
    }

    String write(String operation, String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(operation + ": value for key '" + key + "' is null; use delete()");
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new CacheValueException(operation, key, value.getClass().getName(),
                    "cannot be written as JSON (" + firstLine(e) + ") from", e);
        }
    }

    <T> T read(String operation, String key, String text, JavaType type) {
        try {
            return mapper.readValue(text, type);
        } catch (Exception e) {
            throw new CacheValueException(operation, key, type.toCanonical(),
                    "cannot be read as JSON (" + firstLine(e) + ") into", e);
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
