package io.suho.client.analytics;

/**
 * Rows encoded for an insert before it is sent, for a caller that must know which of its rows went in. Each row is
 * encoded when it is added, so a row whose values cannot be encoded is refused on its own and the others stay; and
 * a range of the rows can be sent by itself. The event sink uses both: it dead-letters a record whose row cannot be
 * encoded, and splits a batch ClickHouse rejects until the bad rows are alone.
 *
 * <p>Get one from {@link AnalyticsClient#encodedRows()} (date-times are written in the server's time zone as the
 * client knows it then) and send it with {@link AnalyticsClient#insert(String, EncodedRows, InsertOptions)}; rows
 * from one client cannot be sent through another. Reusable after {@link #clear()}. Not thread-safe.
 */
public interface EncodedRows {

    /**
     * Encodes {@code value} as the next row. When {@code encoder} throws, or puts no column or a value of a type
     * {@link RowEncoder.Columns#put} does not take, the exception propagates and the rows are as before.
     *
     * @throws IllegalArgumentException naming the column, for a value that cannot be encoded
     */
    <T> void add(T value, RowEncoder<T> encoder);

    /** How many rows were added since the last {@link #clear()}. */
    int size();

    /** Rows {@code [from, to)} as rows of their own (a copy), to be sent apart from the rest. */
    EncodedRows range(int from, int to);

    /** Removes every row, keeping the buffer for the next batch. */
    void clear();
}
