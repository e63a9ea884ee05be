package io.suho.client.postgres.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/** Statement plumbing shared by the client and transactions: parameter binding and the operation name. */
final class Statements {
    private static final String[] VERBS = {"select", "insert", "update", "delete", "with", "values", "copy", "call",
        "merge", "create", "alter", "drop", "truncate", "show", "set", "lock", "do", "table", "explain"};
    private static final Object[] ONE_NULL = {null};

    private Statements() {
    }

    static void requireSql(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be null or blank");
        }
    }

    /** A lone {@code null} vararg means one null parameter, not "no parameters". */
    static Object[] params(Object[] params) {
        return params == null ? ONE_NULL : params;
    }

    static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object v = params[i];
            int idx = i + 1;
            if (v == null) {
                ps.setNull(idx, Types.NULL);
            } else if (v instanceof String s) {
                ps.setString(idx, s);
            } else if (v instanceof Long l) {
                ps.setLong(idx, l);
            } else if (v instanceof Integer n) {
                ps.setInt(idx, n);
            } else if (v instanceof Instant t) {
                ps.setObject(idx, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (v instanceof byte[] b) {
                ps.setBytes(idx, b);
            } else if (v instanceof Enum<?> e) {
                ps.setString(idx, e.name());
            } else {
                ps.setObject(idx, v);
            }
        }
    }

    /** The statement's first keyword in lower case (no allocation for the common verbs), or {@code statement}. */
    static String verb(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        for (String v : VERBS) {
            int end = i + v.length();
            if (sql.regionMatches(true, i, v, 0, v.length())
                    && (end == n || !Character.isLetterOrDigit(sql.charAt(end)))) {
                return v;
            }
        }
        return "statement";
    }

    /** Reads are retried by the pipeline; anything that may write is not. */
    static boolean isRead(String verb) {
        return switch (verb) {
            case "select", "values", "show", "table", "explain" -> true;
            default -> false;
        };
    }

    static <T> T nonNull(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }
}
