package com.example.orders;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's own settings ({@code orders.*} in {@code application.yml}).
 *
 * @param topic the Kafka topic order events go to (through the outbox)
 * @param ratePerMinute orders one account may place per minute
 * @param analyticsTable the ClickHouse table the sink fills
 * @param consumerGroup the group of the event consumer that accepts orders
 * @param sinkGroup the group of the Kafka to ClickHouse sink
 */
@ConfigurationProperties("orders")
public record OrdersProperties(@DefaultValue("orders.placed") String topic, @DefaultValue("60") int ratePerMinute,
        @DefaultValue("shop_orders") String analyticsTable, @DefaultValue("order-acceptor") String consumerGroup,
        @DefaultValue("orders-to-clickhouse") String sinkGroup) {
}
