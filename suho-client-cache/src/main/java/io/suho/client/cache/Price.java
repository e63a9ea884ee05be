package io.suho.client.cache;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest price of one symbol, as kept by {@link PriceCache}. Stored as the text
 * {@code <price>|<epoch millis>} (e.g. {@code 64210.5|1767225600000}) so services in any language can read it.
 *
 * @param symbol instrument symbol, e.g. {@code BTC-USD}; 1–64 characters, no whitespace, {@code |} or {@code =}
 * @param price the price
 * @param time when the price was observed (millisecond precision is kept)
 */
public record Price(String symbol, BigDecimal price, Instant time) {
    public Price {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(time, "time");
    }
}
