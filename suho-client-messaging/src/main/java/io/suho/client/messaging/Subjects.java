package io.suho.client.messaging;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * NATS subject rules. {@link #of} builds subjects from parts that may come from outside — an account
 * id, a symbol — without letting a part change the subject's shape. A part is one subject token: it may not be
 * empty or contain {@code .} (which would add tokens), {@code *} or {@code >} (wildcards: a subscription would
 * receive other parties' messages), whitespace or control characters. Stateless; thread-safe.
 *
 * <pre>{@code
 * String subject = Subjects.of("orders", accountId, "filled"); // "orders.A-17.filled"
 * Subjects.of("orders", "*", "filled");                         // IllegalArgumentException
 * }</pre>
 *
 * <p>Whole subjects are checked by {@link NatsClient} on every call, with {@link #publishSubject} (publish, request,
 * JetStream publish, dead-letter subjects) and {@link #subscribeSubject} (subscribe, stream subjects, consumer
 * filters): no empty token, no whitespace or control character, wildcards only where subscribing allows them and
 * only as whole tokens. Those checks follow NATS's own grammar and do not narrow the characters of a token.
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

    /**
     * Checks a subject to publish or send a request to: one concrete subject.
     *
     * @return {@code subject} unchanged
     * @throws IllegalArgumentException naming the subject and the rule when it is null or empty, has an empty token
     *     (a leading, trailing or doubled {@code .}), holds whitespace or a control character, or holds {@code *} or
     *     {@code >} (wildcards select many subjects: they are for subscriptions)
     */
    public static String publishSubject(String subject) {
        checkShape("publish", subject);
        int wildcard = firstWildcard(subject);
        if (wildcard >= 0) {
            throw invalid("publish", subject, "'" + subject.charAt(wildcard) + "' at index " + wildcard
                    + " is a wildcard; a publish subject names one subject (wildcards are for subscribing)");
        }
        return subject;
    }

    /**
     * Checks a subject to subscribe to, to capture in a stream or to filter a consumer by: like
     * {@link #publishSubject}, but {@code *} may stand for one whole token ({@code orders.*.filled}) and {@code >}
     * for the whole last token ({@code orders.>}).
     *
     * @return {@code subject} unchanged
     * @throws IllegalArgumentException naming the subject and the rule when it is null or empty, has an empty token,
     *     holds whitespace or a control character, or a wildcard that is only part of a token ({@code orders.a*}) or
     *     a {@code >} that is not the last token ({@code orders.>.x})
     */
    public static String subscribeSubject(String subject) {
        checkShape("subscribe", subject);
        String[] tokens = subject.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (firstWildcard(t) < 0 || t.equals("*")) {
                continue;
            }
            if (t.equals(">")) {
                if (i == tokens.length - 1) {
                    continue;
                }
                throw invalid("subscribe", subject, "'>' must be the last token (orders.>), it is token " + (i + 1)
                        + " of " + tokens.length);
            }
            throw invalid("subscribe", subject, "token '" + t + "' mixes a wildcard with other characters; '*' and"
                    + " '>' must be whole tokens (orders.*.filled, orders.>)");
        }
        return subject;
    }

    private static void checkShape(String use, String subject) {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("NATS " + use + " subject must not be "
                    + (subject == null ? "null" : "empty"));
        }
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw invalid(use, subject, "whitespace or a control character at index " + i
                        + " (NATS splits the protocol line on it)");
            }
        }
        if (subject.startsWith(".") || subject.endsWith(".") || subject.contains("..")) {
            throw invalid(use, subject, "it has an empty token (a leading, trailing or doubled '.')");
        }
    }

    private static int firstWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '>') {
                return i;
            }
        }
        return -1;
    }

    private static IllegalArgumentException invalid(String use, String subject, String rule) {
        String shown = subject.length() > 80 ? subject.substring(0, 80) + "…" : subject;
        shown = shown.replaceAll("\\p{Cntrl}", "?");
        return new IllegalArgumentException("NATS " + use + " subject '" + shown + "' is invalid: " + rule);
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
