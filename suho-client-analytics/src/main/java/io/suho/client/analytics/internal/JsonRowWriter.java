package io.suho.client.analytics.internal;

import io.suho.client.analytics.RowEncoder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;

/**
 * Encodes rows as JSONEachRow lines into a growable byte buffer, in the forms 18.16 and current servers both parse:
 * decimals as unquoted plain numbers (18.16 rejects quoted decimals), booleans as 1/0, date-times as
 * {@code yyyy-MM-dd HH:mm:ss} in the server's time zone (whole seconds). Not thread-safe; reuse per thread.
 */
public final class JsonRowWriter implements RowEncoder.Columns {
    private final ZoneId zone;
    private byte[] buf = new byte[4096];
    private int len;
    private int rowStart;
    private boolean firstColumn;

    public JsonRowWriter(ZoneId zone) {
        this.zone = zone;
    }

    /** Encodes one row and appends it (with its newline); on failure the buffer is left as before. */
    public <T> void append(T value, RowEncoder<T> encoder) {
        rowStart = len;
        firstColumn = true;
        byte1('{');
        try {
            encoder.encode(value, this);
        } catch (RuntimeException e) {
            len = rowStart;
            throw e;
        }
        if (firstColumn) {
            len = rowStart;
            throw new IllegalArgumentException("row encoder put no column for " + describe(value));
        }
        byte1('}');
        byte1('\n');
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }

    /** The bytes of the last appended row (a copy). */
    public byte[] lastRow() {
        return Arrays.copyOfRange(buf, rowStart, len);
    }

    /** Appends rows another writer encoded ({@code bytes[from, to)}, whole lines). */
    public void appendEncoded(byte[] bytes, int from, int to) {
        ensure(to - from);
        System.arraycopy(bytes, from, buf, len, to - from);
        len += to - from;
    }

    public void reset() {
        len = 0;
    }

    public int length() {
        return len;
    }

    public byte[] buffer() {
        return buf;
    }

    @Override
    public RowEncoder.Columns put(String column, Object value) {
        if (column == null || column.isEmpty()) {
            throw new IllegalArgumentException("column name is empty");
        }
        if (!firstColumn) {
            byte1(',');
        }
        firstColumn = false;
        string(column);
        byte1(':');
        value(column, value);
        return this;
    }

    private void value(String column, Object v) {
        if (v == null) {
            ascii("null");
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            ascii(v.toString());
        } else if (v instanceof BigDecimal bd) {
            ascii(bd.toPlainString());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("column " + column + ": " + d
                        + " cannot be sent as JSON; use null (Nullable column) or a finite number");
            }
            ascii(v instanceof Float f ? Float.toString(f) : Double.toString(d));
        } else if (v instanceof Boolean b) {
            byte1(b ? '1' : '0');
        } else if (v instanceof Instant || v instanceof LocalDateTime || v instanceof OffsetDateTime
                || v instanceof ZonedDateTime) {
            LocalDateTime l = SqlBinder.localDateTime(v, zone);
            dateTime(l);
        } else if (v instanceof LocalDate d) {
            string(d.toString());
        } else if (v instanceof UUID u) {
            string(u.toString());
        } else if (v instanceof Enum<?> e) {
            string(e.name());
        } else if (v instanceof Character c) {
            string(c.toString());
        } else if (v instanceof Collection<?> c) {
            byte1('[');
            int i = 0;
            for (Object item : c) {
                if (i++ > 0) {
                    byte1(',');
                }
                value(column, item);
            }
            byte1(']');
        } else if (v instanceof Object[] a) {
            value(column, Arrays.asList(a));
        } else if (v instanceof long[] a) {
            value(column, Arrays.stream(a).boxed().toList());
        } else if (v instanceof int[] a) {
            value(column, Arrays.stream(a).boxed().toList());
        } else if (v instanceof double[] a) {
            value(column, Arrays.stream(a).boxed().toList());
        } else {
            throw new IllegalArgumentException("column " + column + ": cannot encode a " + v.getClass().getName()
                    + "; use String, Number, BigDecimal, Boolean, Instant, LocalDateTime, LocalDate, UUID, an enum "
                    + "or a collection of these");
        }
    }

    private void dateTime(LocalDateTime l) {
        ensure(21);
        buf[len++] = '"';
        int y = l.getYear();
        digits(y, 4);
        buf[len++] = '-';
        digits(l.getMonthValue(), 2);
        buf[len++] = '-';
        digits(l.getDayOfMonth(), 2);
        buf[len++] = ' ';
        digits(l.getHour(), 2);
        buf[len++] = ':';
        digits(l.getMinute(), 2);
        buf[len++] = ':';
        digits(l.getSecond(), 2);
        buf[len++] = '"';
    }

    private void digits(int v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += width;
    }

    private void string(String s) {
        ensure(s.length() + 2);
        buf[len++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    byte1('\\');
                    byte1(c);
                } else if (c < 0x20) {
                    switch (c) {
                        case '\n' -> ascii("\\n");
                        case '\r' -> ascii("\\r");
                        case '\t' -> ascii("\\t");
                        case '\b' -> ascii("\\b");
                        case '\f' -> ascii("\\f");
                        default -> ascii(String.format("\\u%04x", (int) c));
                    }
                } else {
                    byte1(c);
                }
            } else {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) >= 0x80) {
                    end++;
                }
                byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buf, len, utf8.length);
                len += utf8.length;
                i = end - 1;
            }
        }
        byte1('"');
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void byte1(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more + 16));
        }
    }
}
