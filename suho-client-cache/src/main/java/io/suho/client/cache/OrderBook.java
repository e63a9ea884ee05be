package io.suho.client.cache;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The aggregated price levels of one symbol's order book, kept in the cache for readers that need the top of the
 * book without asking the matching engine: per side a sorted set of prices (ordering) and a hash of exact
 * quantities, {@code <namespace>:book:<symbol>:bid} / {@code …:bid:qty} and the same for {@code ask}. Prices and
 * quantities stay exact {@link BigDecimal}s; the sorted set's double score only orders the levels (distinct prices
 * with up to 15 significant digits never collide).
 *
 * <p>Every update and every read is one Lua script, so a reader always sees a consistent set of levels, never a
 * price without its quantity. {@link #update} writes absolute quantities (a zero removes the level), so it is
 * retried after a connection failure like the reads; so is {@link #clear}. Get it with
 * {@link CacheClient#orderBook(String)}. Thread-safe.
 */
public interface OrderBook {

    /** A side of the book: bids (best = highest price) and asks (best = lowest price). */
    enum Side {
        BID, ASK
    }

    /** The book's symbol. */
    String symbol();

    /** Sets one level's quantity; {@link BigDecimal#ZERO} removes the level. */
    void set(Side side, BigDecimal price, BigDecimal quantity);

    /**
     * Sets many levels of one side atomically (one script): price → new total quantity, zero to remove. Negative
     * quantities are refused with an {@link IllegalArgumentException} before anything is written.
     */
    void update(Side side, Map<BigDecimal, BigDecimal> levels);

    /** The best {@code depth} levels of a side, best first (bids highest price first, asks lowest first). */
    List<PriceLevel> top(Side side, int depth);

    /** The best level of a side, or empty when the side has none. */
    Optional<PriceLevel> best(Side side);

    /** Removes every level of both sides. */
    void clear();
}
