package io.suho.client.vector;

import io.suho.client.vector.internal.Names;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One object of a vector collection: a UUID, its properties and the vector the caller computed (e.g. an
 * embedding of a trading insight). Weaviate identifies objects by UUID only; use {@link #idFor(String)} to derive
 * a stable UUID from a natural key so that re-upserting the same thing overwrites it. Immutable (the vector array
 * is copied in and out).
 *
 * @param id the object's UUID in canonical text form
 * @param properties property values: String, Number, Boolean, {@link java.time.OffsetDateTime}, UUID or lists of
 *        them
 * @param vector the object's vector, or {@code null} when reading without vectors
 */
public record VectorObject(String id, Map<String, Object> properties, float @Nullable [] vector) {

    public VectorObject {
        id = Names.objectId(id);
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        vector = vector == null ? null : vector.clone();
    }

    /** An object to upsert: id, properties and vector (which must not be empty). */
    public static VectorObject of(String id, Map<String, Object> properties, float[] vector) {
        Objects.requireNonNull(vector, "vector");
        if (vector.length == 0) {
            throw new IllegalArgumentException("vector of object " + id + " is empty");
        }
        return new VectorObject(id, properties, vector);
    }

    /** A deterministic (name-based, version 3) UUID for a natural key such as {@code "insight:AAPL:2026-01-02"}. */
    public static String idFor(String naturalKey) {
        Objects.requireNonNull(naturalKey, "naturalKey");
        return UUID.nameUUIDFromBytes(naturalKey.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public float[] vector() {
        return vector == null ? null : vector.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorObject v && id.equals(v.id) && properties.equals(v.properties)
                && Arrays.equals(vector, v.vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, properties) * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "VectorObject{" + id + ", " + properties + ", vector=" + (vector == null ? "none" : vector.length + "d")
                + "}";
    }
}
