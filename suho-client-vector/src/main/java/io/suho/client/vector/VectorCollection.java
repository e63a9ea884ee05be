package io.suho.client.vector;

import io.suho.client.vector.internal.Names;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A collection declared from code: its name, typed properties and vector distance metric. Vectors are always
 * supplied by the caller (no server-side vectorizer). Build one with {@link #builder(String)}; names are checked
 * when it is built (Weaviate collection names start with an upper-case letter, property names with a letter or
 * underscore). Immutable.
 *
 * <pre>{@code
 * VectorCollection insights = VectorCollection.builder("TradingInsight")
 *         .property("symbol", PropertyType.TEXT)
 *         .property("confidence", PropertyType.NUMBER)
 *         .distance(DistanceMetric.COSINE)
 *         .build();
 * }</pre>
 */
public final class VectorCollection {
    private final String name;
    private final String description;
    private final Map<String, PropertyType> properties;
    private final DistanceMetric distance;

    private VectorCollection(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.distance = b.distance;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Free text stored with the collection, or {@code null}. */
    public String description() {
        return description;
    }

    /** Declared properties in declaration order. */
    public Map<String, PropertyType> properties() {
        return properties;
    }

    public DistanceMetric distance() {
        return distance;
    }

    @Override
    public String toString() {
        return "VectorCollection{" + name + ", " + properties + ", " + distance + "}";
    }

    /** Builds a {@link VectorCollection}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private String description;
        private final Map<String, PropertyType> properties = new LinkedHashMap<>();
        private DistanceMetric distance = DistanceMetric.COSINE;

        private Builder(String name) {
            this.name = Names.collection(name);
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Declares a property; declaring the same name twice is an error. */
        public Builder property(String name, PropertyType type) {
            Objects.requireNonNull(type, "type");
            String n = Names.property(name);
            if (properties.putIfAbsent(n, type) != null) {
                throw new IllegalArgumentException("property '" + n + "' of collection " + this.name
                        + " is declared twice");
            }
            return this;
        }

        public Builder distance(DistanceMetric distance) {
            this.distance = Objects.requireNonNull(distance, "distance");
            return this;
        }

        public VectorCollection build() {
            return new VectorCollection(this);
        }
    }
}
