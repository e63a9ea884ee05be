package io.suho.client.vector.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validates the names and ids the vector client sends to Weaviate, so a bad one fails here with a message naming
 * it rather than as a server error later. Collection names follow Weaviate's class rule (upper-case first letter),
 * property names its property rule, object ids must be canonical UUIDs.
 */
public final class Names {
    private static final Pattern COLLECTION = Pattern.compile("[A-Z][_0-9A-Za-z]{0,254}");
    private static final Pattern PROPERTY = Pattern.compile("[_A-Za-z][_0-9A-Za-z]{0,230}");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Names() {
    }

    /** A collection name, or {@link IllegalArgumentException} saying what is allowed. */
    public static String collection(String name) {
        Objects.requireNonNull(name, "collection name");
        if (!COLLECTION.matcher(name).matches()) {
            throw new IllegalArgumentException("collection name '" + printable(name) + "' is invalid: it must start"
                    + " with an upper-case letter followed by letters, digits or '_' (at most 255 characters)");
        }
        return name;
    }

    /** A property name, or {@link IllegalArgumentException}. */
    public static String property(String name) {
        Objects.requireNonNull(name, "property name");
        if (!PROPERTY.matcher(name).matches()) {
            throw new IllegalArgumentException("property name '" + printable(name) + "' is invalid: it must start"
                    + " with a letter or '_' followed by letters, digits or '_'");
        }
        return name;
    }

    /** A property name used in a filter (same rule as {@link #property}). */
    public static String filterProperty(String name) {
        return property(name);
    }

    /** A canonical lower-case UUID, or {@link IllegalArgumentException}. */
    public static String objectId(String id) {
        Objects.requireNonNull(id, "object id");
        if (!UUID.matcher(id).matches()) {
            throw new IllegalArgumentException("object id '" + printable(id) + "' is not a UUID; Weaviate ids are UUIDs"
                    + " (use VectorObject.idFor(naturalKey) for a stable one)");
        }
        return id.toLowerCase(Locale.ROOT);
    }

    /** Shortens and strips control characters so a hostile name cannot forge log lines. */
    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
