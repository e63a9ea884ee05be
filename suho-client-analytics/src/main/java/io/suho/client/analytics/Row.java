package io.suho.client.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One row of a query result, valid only inside {@link RowMapper#map}. Columns are addressed by name (as the query
 * names them) or by zero-based index. Getters convert the server's text form; they throw
 * {@link IllegalArgumentException} naming the column when it does not exist or its value does not convert, and
 * {@link NullPointerException} naming the column when a primitive getter meets {@code NULL}.
 */
public interface Row {

    int columnCount();

    String columnName(int index);

    /** The ClickHouse type of a column, e.g. {@code Nullable(Decimal(18, 4))}. */
    String columnType(int index);

    boolean isNull(String column);

    /** The value as text (Decimals keep every digit: read money this way or with {@link #getBigDecimal}). */
    String getString(String column);

    String getString(int index);

    long getLong(String column);

    long getLong(int index);

    int getInt(String column);

    double getDouble(String column);

    double getDouble(int index);

    /** An exact decimal, or {@code null} for NULL. */
    BigDecimal getBigDecimal(String column);

    boolean getBoolean(String column);

    /** A {@code Date} column, or {@code null}. */
    LocalDate getLocalDate(String column);

    /** A {@code DateTime} column as wall-clock time in the server's time zone, or {@code null}. */
    LocalDateTime getLocalDateTime(String column);

    /** A {@code DateTime} column as an instant (interpreted in the server's time zone), or {@code null}. */
    Instant getInstant(String column);

    /**
     * An {@code Array(...)} column as a list of element texts (strings unquoted and unescaped, {@code null} for NULL
     * elements). Nested arrays are returned as their text.
     */
    List<String> getList(String column);
}
