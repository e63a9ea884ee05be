package io.suho.client.postgres.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

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
            } else if (v instanceof Object[] a && arrayType(a) != null) {
                ps.setArray(idx, ps.getConnection().createArrayOf(arrayType(a), elements(a)));
            } else {
                ps.setObject(idx, v);
            }
        }
    }

    /**
     * The PostgreSQL element type of an array parameter the driver cannot type by itself or types unhelpfully
     * ({@code UUID[]}; {@code String[]}, which PgJDBC sends as {@code varchar[]} that {@code text[]} operators such as
     * {@code &&} refuse; {@code BigDecimal[]}; {@code Instant[]}, {@code OffsetDateTime[]}); {@code null} for the
     * arrays PgJDBC binds well natively ({@code Long[]}, {@code long[]}, {@code Integer[]}, {@code int[]},
     * {@code Short[]}, {@code Double[]}, {@code double[]}, {@code Float[]}, {@code Boolean[]}, {@code boolean[]},
     * {@code byte[][]}).
     */
    static String arrayType(Object[] a) {
        Class<?> c = a.getClass().getComponentType();
        if (c == String.class) {
            return "text";
        }
        if (c == UUID.class) {
            return "uuid";
        }
        if (c == BigDecimal.class) {
            return "numeric";
        }
        if (c == Instant.class || c == OffsetDateTime.class) {
            return "timestamptz";
        }
        return null;
    }

    private static Object[] elements(Object[] a) {
        if (a instanceof Instant[] instants) {
            OffsetDateTime[] out = new OffsetDateTime[instants.length];
            for (int i = 0; i < instants.length; i++) {
                out[i] = instants[i] == null ? null : OffsetDateTime.ofInstant(instants[i], ZoneOffset.UTC);
            }
            return out;
        }
        return a;
    }

    /**
     * Runs an {@code INSERT} with the driver adding {@code RETURNING "keyColumn"} and reads every returned key as
     * {@code keyType}.
     */
    static <K> List<K> insertKeys(Connection c, String sql, String keyColumn, Class<K> keyType, Object[] params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {keyColumn})) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                List<K> keys = new ArrayList<>(1);
                while (rs.next()) {
                    keys.add(keyType == Instant.class
                            ? keyType.cast(rs.getObject(1, OffsetDateTime.class).toInstant())
                            : rs.getObject(1, keyType));
                }
                return keys;
            }
        }
    }

    /** Checks the arguments of an insert-returning-keys call before any I/O. */
    static void requireInsert(String sql, String keyColumn, Class<?> keyType) {
        requireSql(sql);
        nonNull(keyType, "keyType");
        if (keyColumn == null || keyColumn.isBlank()) {
            throw new IllegalArgumentException("keyColumn must name the generated column, e.g. \"id\"");
        }
        if (!verb(sql).equals("insert")) {
            throw new IllegalArgumentException("insertReturningKey runs an INSERT (without RETURNING); got a '"
                    + verb(sql) + "' statement");
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
