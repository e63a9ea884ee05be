package io.suho.client.graph.internal;

import com.arangodb.ArangoCursor;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.graph.GraphCursor;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GraphCursor} over a driver cursor that pulls one batch at a time through the store executor (operation
 * {@code cursor.next}), so each server round trip is timed and guarded by the breaker while iterating costs nothing
 * per element. Not thread-safe.
 */
final class StreamingCursor<T> implements GraphCursor<T> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingCursor.class);

    private final ArangoCursor<T> cursor;
    private final StoreExecutor executor;
    private final int batchSize;
    private final ArrayDeque<T> buffer;
    private boolean exhausted;
    private boolean closed;

    StreamingCursor(ArangoCursor<T> cursor, StoreExecutor executor, int batchSize) {
        this.cursor = cursor;
        this.executor = executor;
        this.batchSize = batchSize;
        this.buffer = new ArrayDeque<>(Math.min(batchSize, 4096));
    }

    @Override
    public boolean hasNext() {
        if (!buffer.isEmpty()) {
            return true;
        }
        if (exhausted || closed) {
            return false;
        }
        executor.run("cursor.next", false, () -> {
            // the first batch arrived with the query; the driver fetches the next one when it runs dry
            for (int i = 0; i < batchSize && cursor.hasNext(); i++) {
                buffer.add(cursor.next());
            }
            return null;
        });
        if (buffer.isEmpty()) {
            exhausted = true;
            close();
        }
        return !buffer.isEmpty();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the cursor is exhausted");
        }
        return buffer.poll();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.clear();
        try {
            cursor.close();
        } catch (java.io.IOException | RuntimeException e) {
            // the server drops it after its TTL anyway
            LOG.debug("Closing an ArangoDB cursor failed: {}", e.toString());
        }
    }
}
