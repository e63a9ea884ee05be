package io.suho.client.graph.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validates every name and key the graph client puts into a request path or AQL collection parameter, against
 * patterns stricter than ArangoDB's own: collection, graph and database names start with a letter (so system
 * collections such as {@code _users} are out of reach) and use letters, digits, {@code _} and {@code -}; document
 * keys use ArangoDB's key alphabet. Failures are {@link IllegalArgumentException}s naming the value.
 */
public final class Identifiers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,255}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-:.@()+,=;$!*'%]{1,254}");

    private Identifiers() {
    }

    public static String collection(String name) {
        return check("collection name", NAME, name,
                "a letter followed by letters, digits, '_' or '-' (at most 256 characters)");
    }

    public static String graph(String name) {
        return check("graph name", NAME, name, "a letter followed by letters, digits, '_' or '-'");
    }

    public static String database(String name) {
        return check("database name", DATABASE, name,
                "a letter followed by letters, digits, '_' or '-' (at most 64 characters)");
    }

    public static String key(String key) {
        return check("document key", KEY, key, "1-254 of letters, digits and _-:.@()+,=;$!*'%");
    }

    /** A document id {@code collection/key}. */
    public static String documentId(String id) {
        Objects.requireNonNull(id, "document id");
        int slash = id.indexOf('/');
        if (slash < 0 || id.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("document id '" + printable(id) + "' is not collection/key");
        }
        collection(id.substring(0, slash));
        key(id.substring(slash + 1));
        return id;
    }

    private static String check(String what, Pattern p, String value, String rule) {
        Objects.requireNonNull(value, what);
        if (!p.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + printable(value) + "' is invalid: expected " + rule);
        }
        return value;
    }

    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
