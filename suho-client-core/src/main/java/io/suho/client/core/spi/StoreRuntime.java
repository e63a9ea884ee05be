package io.suho.client.core.spi;

import io.suho.client.core.StoreHealth;

/** A started store module: hands out its clients, checks health, and closes what it opened. */
public interface StoreRuntime extends AutoCloseable {

    /** The client of the given type; the type is one of the module's {@code clientTypes()}. */
    <T> T client(Class<T> type);

    /** Checks the store now (bounded by the store's timeout) and reports what it saw. Never throws. */
    StoreHealth health();

    /** Closes connections and pools; bounded in time. */
    @Override
    void close();
}
