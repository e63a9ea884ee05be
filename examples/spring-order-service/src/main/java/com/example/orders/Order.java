package com.example.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** An order as stored in PostgreSQL, cached and returned by {@code GET /orders/{id}}. */
public record Order(UUID id, String accountId, String symbol, String side, long quantity, BigDecimal price,
        String status, Instant createdAt) {
}
