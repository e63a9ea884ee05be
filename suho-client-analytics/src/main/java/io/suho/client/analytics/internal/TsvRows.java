package io.suho.client.analytics.internal;

import com.clickhouse.client.api.ServerException;
import io.suho.client.analytics.Row;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code TabSeparatedWithNamesAndTypes} response row by row from the socket (the text format every
 * ClickHouse version answers identically, 18.16 included) and presents each line as a {@link Row}. Not thread-safe;
 * one instance per response.
 */
public final class TsvRows implements Row {
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final InputStream in;
    private final ZoneId zone;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private String[] names;
    private String[] types;
    private Map<String, Integer> index;
    private String[] values;
    private boolean[] verbatim;

    public TsvRows(InputStream in, ZoneId zone) {
        this.in = in;
        this.zone = zone;
    }

    /** Reads the two header lines; false when the response is empty (a statement with no result). */
    public boolean readHeader() throws IOException {
        String[] n = readLine();
        if (n == null) {
            return false;
        }
        String[] t = readLine();
        if (t != null) {
            // composite values are written in their quoted text form, without the TSV escaping on top
            verbatim = new boolean[t.length];
            for (int i = 0; i < t.length; i++) {
                verbatim[i] = t[i].startsWith("Array(") || t[i].startsWith("Tuple(") || t[i].startsWith("Map(")
                        || t[i].startsWith("Nested(");
            }
        }
        if (t == null || t.length != n.length) {
            throw new IOException("malformed TabSeparatedWithNamesAndTypes header (names " + Arrays.toString(n)
                    + ", types " + Arrays.toString(t) + ")");
        }
        names = n;
        types = t;
        index = new HashMap<>(n.length * 2);
        for (int i = 0; i < n.length; i++) {
            index.putIfAbsent(n[i], i);
        }
        return true;
    }

    /** Advances to the next row; false at the end. */
    public boolean next() throws IOException {
        String[] v = readLine();
        if (v == null) {
            return false;
        }
        // A server that fails after it has started sending rows (e.g. at max_execution_time) appends its error as a
        // last line; a value that merely looks like one is told apart by not being the last line of the body.
        String last = v[v.length - 1];
        int error = last == null || !last.contains("DB::Exception") ? -1 : last.indexOf("Code: ");
        if (error >= 0 && (v.length != names.length || atEnd())) {
            throw new ServerException(0, last.substring(error), 200, null);
        }
        if (v.length != names.length) {
            throw new IOException("row has " + v.length + " fields, header has " + names.length);
        }
        values = v;
        return true;
    }

    /** True when nothing follows in the body (reads ahead into the buffer when it is used up). */
    private boolean atEnd() throws IOException {
        if (pos < limit) {
            return false;
        }
        limit = Math.max(0, in.read(buf, 0, buf.length));
        pos = 0;
        return limit == 0;
    }

    private String[] readLine() throws IOException {
        int len = 0;
        while (true) {
            if (pos >= limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (len == 0) {
                        return null;
                    }
                    break;
                }
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int chunk = pos - start;
            if (len + chunk > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, len + chunk));
            }
            System.arraycopy(buf, start, line, len, chunk);
            len += chunk;
            if (pos < limit) {
                pos++; // the newline
                break;
            }
        }
        return split(line, len);
    }

    private String[] split(byte[] b, int len) {
        List<String> out = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || b[i] == '\t') {
                int col = out.size();
                boolean asIs = verbatim != null && col < verbatim.length && verbatim[col];
                out.add(asIs ? new String(b, start, i - start, StandardCharsets.UTF_8)
                        : TsvText.unescape(b, start, i));
                start = i + 1;
            }
        }
        return out.toArray(new String[0]);
    }

    // ---- Row ----

    @Override
    public int columnCount() {
        return names.length;
    }

    @Override
    public String columnName(int i) {
        return names[check(i)];
    }

    @Override
    public String columnType(int i) {
        return types[check(i)];
    }

    private int check(int i) {
        if (i < 0 || i >= names.length) {
            throw new IllegalArgumentException("column index " + i + " is outside 0.." + (names.length - 1));
        }
        return i;
    }

    private int col(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no column '" + name + "' in the result; columns: "
                    + Arrays.toString(names));
        }
        return i;
    }

    private String raw(int i) {
        return values[i];
    }

    private String nonNull(int i) {
        String v = values[i];
        if (v == null) {
            throw new NullPointerException("column '" + names[i] + "' is NULL; check isNull() first");
        }
        return v;
    }

    @Override
    public boolean isNull(String column) {
        return values[col(column)] == null;
    }

    @Override
    public String getString(String column) {
        return raw(col(column));
    }

    @Override
    public String getString(int i) {
        return raw(check(i));
    }

    @Override
    public long getLong(String column) {
        return getLong(col(column));
    }

    @Override
    public long getLong(int i) {
        String v = nonNull(check(i));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                return new BigDecimal(v).longValueExact();
            } catch (ArithmeticException | NumberFormatException e2) {
                throw conversion(i, v, "long");
            }
        }
    }

    @Override
    public int getInt(String column) {
        int i = col(column);
        long v = getLong(i);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw conversion(i, Long.toString(v), "int");
        }
        return (int) v;
    }

    @Override
    public double getDouble(String column) {
        return getDouble(col(column));
    }

    @Override
    public double getDouble(int i) {
        String v = nonNull(check(i));
        return switch (v) {
            case "nan", "-nan" -> Double.NaN;
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw conversion(i, v, "double");
                }
            }
        };
    }

    @Override
    public BigDecimal getBigDecimal(String column) {
        int i = col(column);
        String v = raw(i);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw conversion(i, v, "BigDecimal");
        }
    }

    @Override
    public boolean getBoolean(String column) {
        int i = col(column);
        String v = nonNull(i);
        return switch (v) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw conversion(i, v, "boolean");
        };
    }

    @Override
    public LocalDate getLocalDate(String column) {
        int i = col(column);
        String v = raw(i);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
        } catch (RuntimeException e) {
            throw conversion(i, v, "LocalDate");
        }
    }

    @Override
    public LocalDateTime getLocalDateTime(String column) {
        int i = col(column);
        String v = raw(i);
        if (v == null) {
            return null;
        }
        try {
            if (v.length() == 19) {
                return LocalDateTime.parse(v, DT);
            }
            return LocalDateTime.parse(v.replace(' ', 'T'));
        } catch (RuntimeException e) {
            throw conversion(i, v, "LocalDateTime");
        }
    }

    @Override
    public Instant getInstant(String column) {
        LocalDateTime l = getLocalDateTime(column);
        return l == null ? null : l.atZone(zone).toInstant();
    }

    @Override
    public List<String> getList(String column) {
        int i = col(column);
        String v = raw(i);
        if (v == null) {
            return null;
        }
        try {
            return TsvText.parseArray(v);
        } catch (RuntimeException e) {
            throw conversion(i, v, "List");
        }
    }

    private IllegalArgumentException conversion(int i, String v, String target) {
        String shown = v.length() > 64 ? v.substring(0, 64) + "…" : v;
        return new IllegalArgumentException("column '" + names[i] + "' (" + types[i] + ") value '" + shown
                + "' does not convert to " + target);
    }
}
