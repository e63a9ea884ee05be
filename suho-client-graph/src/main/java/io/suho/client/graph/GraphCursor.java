package io.suho.client.graph;

import java.util.Iterator;

/**
 * A streaming query result: iterate it to fetch further batches from the server. Each batch fetch runs through the
 * graph store's breaker and timer ({@code cursor.next}). Close it to release the server-side cursor before it is
 * exhausted. Not thread-safe.
 */
public interface GraphCursor<T> extends Iterator<T>, AutoCloseable {

    /** Releases the server cursor; never throws. */
    @Override
    void close();
}
