package io.suho.client.graph;

import io.suho.client.graph.internal.Identifiers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An AQL query text checked once so that values can only reach it as bind variables: the text may not contain string
 * literals ({@code '…'}, {@code "…"}), quoted names ({@code `…`}, {@code ´…´}), comments or {@code ;}, which is where
 * concatenated input would land. Value parameters are written {@code @name}, collection parameters
 * {@code @@name}; {@link #bind(Map)} then insists that exactly the referenced parameters are supplied (collection
 * ones under the key {@code "@name"}, with a value that passes the collection-name rule). Keep queries as constants;
 * build them once. Numbers and keywords are fine ({@code LIMIT 10}). This is a guard rail against the common
 * mistakes, not a parser: it cannot tell that an unquoted number was concatenated in. Immutable, thread-safe.
 *
 * <pre>{@code
 * static final AqlQuery PARTNERS = AqlQuery.of(
 *         "FOR t IN @@trades FILTER t._from == @trader RETURN DISTINCT t._to");
 * graph.query(PARTNERS, Map.of("@trades", "trades_with", "trader", "traders/alice"), String.class);
 * }</pre>
 */
public final class AqlQuery {
    /** Longest accepted query text. */
    public static final int MAX_LENGTH = 64 * 1024;

    private final String text;
    private final Set<String> valueParams;
    private final Set<String> collectionParams;

    private AqlQuery(String text, Set<String> valueParams, Set<String> collectionParams) {
        this.text = text;
        this.valueParams = valueParams;
        this.collectionParams = collectionParams;
    }

    /**
     * Checks and wraps a query text.
     *
     * @throws IllegalArgumentException naming what was found and where
     */
    public static AqlQuery of(String text) {
        Objects.requireNonNull(text, "aql");
        if (text.isBlank()) {
            throw new IllegalArgumentException("AQL query is blank");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("AQL query is " + text.length() + " characters; the limit is "
                    + MAX_LENGTH);
        }
        Set<String> values = new LinkedHashSet<>();
        Set<String> collections = new LinkedHashSet<>();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\'', '"' -> throw rejected(text, i, "a string literal", "pass the value as a bind variable (@name)");
                case '`', '\u00b4' -> throw rejected(text, i, "a quoted name",
                        "use plain attribute names, or a bind variable for the value");
                case ';' -> throw rejected(text, i, "';'", "send one query per call");
                case '/' -> {
                    if (i + 1 < n && (text.charAt(i + 1) == '/' || text.charAt(i + 1) == '*')) {
                        throw rejected(text, i, "a comment", "remove it");
                    }
                }
                case '#' -> throw rejected(text, i, "'#'", "remove it");
                case '@' -> {
                    boolean collection = i + 1 < n && text.charAt(i + 1) == '@';
                    int start = i + (collection ? 2 : 1);
                    int end = start;
                    while (end < n && isNameChar(text.charAt(end))) {
                        end++;
                    }
                    if (end == start) {
                        throw rejected(text, i, "'@' without a parameter name", "write @name or @@name");
                    }
                    (collection ? collections : values).add(text.substring(start, end));
                    i = end - 1;
                }
                default -> {
                    if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                        throw rejected(text, i, "a control character", "remove it");
                    }
                }
            }
        }
        return new AqlQuery(text, Collections.unmodifiableSet(values), Collections.unmodifiableSet(collections));
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static IllegalArgumentException rejected(String text, int at, String what, String fix) {
        int from = Math.max(0, at - 20);
        int to = Math.min(text.length(), at + 20);
        String near = text.substring(from, to).replaceAll("\\p{Cntrl}", " ");
        return new IllegalArgumentException("AQL query contains " + what + " at offset " + at + " (near '" + near
                + "'); values must be bind variables: " + fix);
    }

    /**
     * The bind variables for one execution, checked against the query: every {@code @name} and {@code @@name} must
     * have a value (collection ones under {@code "@name"}), none may be extra, collection values must be valid
     * collection names.
     *
     * @throws IllegalArgumentException naming the offending parameter
     */
    public Map<String, Object> bind(Map<String, ?> bindVars) {
        Map<String, ?> given = bindVars == null ? Map.of() : bindVars;
        Map<String, Object> out = new LinkedHashMap<>(given.size() * 2);
        for (Map.Entry<String, ?> e : given.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "bind variable name");
            if (key.startsWith("@")) {
                String name = key.substring(1);
                if (!collectionParams.contains(name)) {
                    throw new IllegalArgumentException("bind variable '" + key + "' is not used by the query (it uses "
                            + describe() + ")");
                }
                if (!(e.getValue() instanceof String s)) {
                    throw new IllegalArgumentException("collection bind variable '" + key + "' must be a String name");
                }
                out.put(key, Identifiers.collection(s));
            } else {
                if (!valueParams.contains(key)) {
                    throw new IllegalArgumentException("bind variable '" + key + "' is not used by the query (it uses "
                            + describe() + ")" + (collectionParams.contains(key)
                                    ? "; collection parameters are bound under '@" + key + "'" : ""));
                }
                out.put(key, e.getValue());
            }
        }
        for (String v : valueParams) {
            if (!given.containsKey(v)) {
                throw new IllegalArgumentException("bind variable '" + v + "' (@" + v + ") has no value");
            }
        }
        for (String c : collectionParams) {
            if (!given.containsKey("@" + c)) {
                throw new IllegalArgumentException("collection bind variable '@" + c + "' (@@" + c + ") has no value");
            }
        }
        return out;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        valueParams.forEach(v -> sb.append(sb.length() == 0 ? "" : ", ").append('@').append(v));
        collectionParams.forEach(v -> sb.append(sb.length() == 0 ? "" : ", ").append("@@").append(v));
        return sb.length() == 0 ? "no bind variables" : sb.toString();
    }

    /** The query text. */
    public String text() {
        return text;
    }

    /** Names of the value parameters ({@code @name}). */
    public Set<String> valueParameters() {
        return valueParams;
    }

    /** Names of the collection parameters ({@code @@name}). */
    public Set<String> collectionParameters() {
        return collectionParams;
    }

    @Override
    public String toString() {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
