package io.suho.client.cache;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The latest price per symbol, in one hash ({@code <namespace>:prices}, field = symbol). A batch update is one
 * {@code HSET} of every symbol (plus, when {@code suho.cache.prices.notify} is on, one {@code PUBLISH} on the channel
 * {@code <namespace>:prices}, sent in the same pipeline); a batch read is one {@code HMGET}. Thread-safe.
 */
public interface PriceCache {

    /** Stores one price. */
    void update(Price price);

    /** Stores many prices in one round trip (a later duplicate symbol wins). */
    void update(Collection<Price> prices);

    /** The latest price of a symbol, or empty. */
    Optional<Price> get(String symbol);

    /** The latest prices of the symbols that have one, read in one round trip, in the order asked. */
    Map<String, Price> get(Collection<String> symbols);

    /** Every stored price. */
    Map<String, Price> all();

    /**
     * Calls {@code listener} with each batch of prices other updates publish (needs {@code suho.cache.prices.notify}
     * on the publishing side). Runs on a driver thread: keep the listener short. Re-subscribes after a reconnect.
     */
    Subscription subscribe(Consumer<List<Price>> listener);

    /** An active subscription; {@link #close()} stops delivery. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
