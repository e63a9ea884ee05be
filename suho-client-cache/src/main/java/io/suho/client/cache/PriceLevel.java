package io.suho.client.cache;

import java.math.BigDecimal;

/**
 * One price level of an {@link OrderBook}: the total quantity resting at a price.
 *
 * @param price the level's price, exactly as written (trailing zeros stripped)
 * @param quantity the quantity at that price, exactly as written; always positive (a zero removes the level)
 */
public record PriceLevel(BigDecimal price, BigDecimal quantity) {
}
