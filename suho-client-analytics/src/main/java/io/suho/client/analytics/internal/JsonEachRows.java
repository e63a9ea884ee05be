package io.suho.client.analytics.internal;

import io.suho.client.analytics.EncodedRows;
import io.suho.client.analytics.RowEncoder;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;

/** {@link EncodedRows} as JSONEachRow lines ({@link JsonRowWriter}), with where each row ends. Not thread-safe. */
final class JsonEachRows implements EncodedRows {
    private final ZoneId zone;
    private final JsonRowWriter writer;
    /** ends[i] = buffer length after row i. */
    private int[] ends = new int[64];
    private int size;

    JsonEachRows(ZoneId zone) {
        this.zone = zone;
        this.writer = new JsonRowWriter(zone);
    }

    @Override
    public <T> void add(T value, RowEncoder<T> encoder) {
        writer.append(value, encoder);
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
        }
        ends[size++] = writer.length();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public EncodedRows range(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        JsonEachRows part = new JsonEachRows(zone);
        int start = from == 0 ? 0 : ends[from - 1];
        part.writer.appendEncoded(writer.buffer(), start, to == 0 ? 0 : ends[to - 1]);
        for (int i = from; i < to; i++) {
            if (part.size == part.ends.length) {
                part.ends = Arrays.copyOf(part.ends, part.size * 2);
            }
            part.ends[part.size++] = ends[i] - start;
        }
        return part;
    }

    @Override
    public void clear() {
        writer.reset();
        size = 0;
    }

    byte[] buffer() {
        return writer.buffer();
    }

    int length() {
        return writer.length();
    }
}
