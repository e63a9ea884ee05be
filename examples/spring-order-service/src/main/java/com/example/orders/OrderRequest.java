package com.example.orders;

import java.math.BigDecimal;
import java.util.Locale;

/** The body of {@code POST /orders}. */
public record OrderRequest(String accountId, String symbol, String side, Long quantity, BigDecimal price) {

    /** Checks every field; the message names the first bad one. */
    public OrderRequest validated() {
        if (accountId == null || accountId.isBlank() || accountId.length() > 64) {
            throw new IllegalArgumentException("accountId is required (1-64 characters)");
        }
        if (symbol == null || !symbol.matches("[A-Za-z0-9.\\-]{1,16}")) {
            throw new IllegalArgumentException("symbol is required (1-16 letters, digits, '.' or '-')");
        }
        String s = side == null ? "" : side.toUpperCase(Locale.ROOT);
        if (!s.equals("BUY") && !s.equals("SELL")) {
            throw new IllegalArgumentException("side must be BUY or SELL");
        }
        if (quantity == null || quantity <= 0) {
            throw new IllegalArgumentException("quantity must be a positive integer");
        }
        if (price == null || price.signum() <= 0) {
            throw new IllegalArgumentException("price must be positive");
        }
        return new OrderRequest(accountId, symbol.toUpperCase(Locale.ROOT), s, quantity, price);
    }
}
