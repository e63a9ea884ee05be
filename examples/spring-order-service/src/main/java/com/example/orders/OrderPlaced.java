package com.example.orders;

import java.math.BigDecimal;

/** The event payload written to the outbox with each order (JSON), read by the consumer and the ClickHouse sink. */
public record OrderPlaced(String orderId, String accountId, String symbol, String side, long quantity,
        BigDecimal price, String createdAt) {

    static OrderPlaced of(Order o) {
        return new OrderPlaced(o.id().toString(), o.accountId(), o.symbol(), o.side(), o.quantity(), o.price(),
                o.createdAt().toString());
    }
}
