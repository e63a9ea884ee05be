package io.suho.client.analytics;

/**
 * Writes one value as a row of column values for an insert: {@code (trade, row) -> row.put("id", trade.id())
 * .put("price", trade.price())}. Columns not put get the table's defaults.
 */
@FunctionalInterface
public interface RowEncoder<T> {
    void encode(T value, Columns row);

    /** The columns of one row being encoded. Values: see {@link #put}. */
    interface Columns {
        /**
         * Sets a column. Accepted values: {@code null} (Nullable columns), {@link String}, {@link Number}
         * ({@link java.math.BigDecimal} keeps every digit — use it or a plain decimal String for {@code Decimal}),
         * {@link Boolean} (as 1/0), {@link java.time.Instant} / {@link java.time.LocalDateTime} /
         * {@link java.time.OffsetDateTime} / {@link java.time.ZonedDateTime} (DateTime, in the server's time zone),
         * {@link java.time.LocalDate}, {@link java.util.UUID}, enums (by name), and arrays / collections of these
         * (Array columns).
         *
         * @throws IllegalArgumentException naming the column for any other type or a non-finite float
         */
        Columns put(String column, Object value);
    }
}
