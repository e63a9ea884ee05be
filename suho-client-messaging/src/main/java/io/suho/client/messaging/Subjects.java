package io.suho.client.messaging;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Builds NATS subjects from parts that may come from outside — an account
 * id, a symbol — without letting a part change the subject's shape. A part is one subject token: it may not be
 * empty or contain {@code .} (which would add tokens), {@code *} or {@code >} (wildcards: a subscription would
 * receive other parties' messages), whitespace or control characters. Stateless; thread-safe.
 *
 * <pre>{@code
 * String subject = Subjects.of("orders", accountId, "filled"); // "orders.A-17.filled"
 * Subjects.of("orders", "*", "filled");                         // IllegalArgumentException
 * }</pre>
 */
public final class Subjects {
    /** Letters, digits and {@code _ - : @ + = ~ /}: safe in NATS subjects, and everything but {@code :@+=~/} in Kafka topics. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-:@+=~/]{1,128}");

    private Subjects() {
    }

    /**
     * Checks one token.
     *
     * @return {@code token} unchanged
     * @throws IllegalArgumentException naming the token when it is empty, too long, or holds {@code .}, {@code *},
     *     {@code >}, whitespace or another character outside {@code [A-Za-z0-9_-:@+=~/]}
     */
    public static String token(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            String shown = token == null ? "null" : token.length() > 40 ? token.substring(0, 40) + "…" : token;
            throw new IllegalArgumentException("subject token '" + shown + "' is invalid: expected 1-128 of"
                    + " [A-Za-z0-9_-:@+=~/]; '.', '*', '>' and whitespace would change the subject's shape");
        }
        return token;
    }

    /** Joins checked tokens with {@code .}: {@code of("orders", id)} → {@code orders.<id>}. */
    public static String of(String... tokens) {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("a subject needs at least one token");
        }
        StringJoiner j = new StringJoiner(".");
        for (String t : tokens) {
            j.add(token(t));
        }
        return j.toString();
    }
}
