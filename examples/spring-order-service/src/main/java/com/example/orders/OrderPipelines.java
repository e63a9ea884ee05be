package com.example.orders;

import io.micrometer.observation.ObservationRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.TableSpec;
import io.suho.client.cache.CacheClient;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.KafkaConsumerSpec;
import io.suho.client.messaging.TopicSpec;
import io.suho.events.Event;
import io.suho.pipelines.EventRowMapper;
import io.suho.pipelines.EventSink;
import io.suho.pipelines.OutboxRelay;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The order's way through the stores: the outbox relay (PostgreSQL → Kafka), an event consumer that accepts orders,
 * and the Kafka → ClickHouse sink behind {@code GET /stats}. Each is a bean closed on shutdown before the Suho clients
 * it depends on (Spring destroys dependents first). {@code orders.pipelines.enabled=false} switches all three off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orders.pipelines.enabled", havingValue = "true", matchIfMissing = true)
public class OrderPipelines {

    /** Publishes committed outbox rows of the orders topic to Kafka, at least once. */
    @Bean(destroyMethod = "close")
    OutboxRelay outboxRelay(SuhoClients suho, KafkaClient kafka, OrdersProperties props) {
        kafka.ensureTopic(TopicSpec.of(props.topic()).withPartitions(3));
        return OutboxRelay.builder(suho).topics(Set.of(props.topic())).pollInterval(Duration.ofMillis(100)).start();
    }

    /** Accepts each placed order (status NEW → ACCEPTED) and drops its cached copy. */
    @Bean(destroyMethod = "close")
    EventConsumer orderAcceptor(KafkaClient kafka, OrderService orders, CacheClient cache, OrdersProperties props) {
        kafka.ensureTopic(TopicSpec.of(props.topic()).withPartitions(3));
        return kafka.consume(KafkaConsumerSpec.of(props.consumerGroup(), props.topic()), (Event e) -> {
            UUID id = UUID.fromString(e.payloadAs(OrderPlaced.class).orderId());
            if (orders.accept(id)) {
                cache.delete(OrderController.cacheKey(id));
            }
        });
    }

    /** Copies order events into ClickHouse (a ReplacingMergeTree keyed by order id, so replays collapse). */
    @Bean(destroyMethod = "close")
    EventSink orderSink(SuhoClients suho, AnalyticsClient analytics, KafkaClient kafka, OrdersProperties props,
            ObservationRegistry observations) {
        if (!props.analyticsTable().matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("orders.analytics-table must be a plain identifier, got '"
                    + props.analyticsTable() + "'");
        }
        kafka.ensureTopic(TopicSpec.of(props.topic()).withPartitions(3));
        Properties conn = kafka.connectionProperties();
        EventSink.Builder b = EventSink.builder(analytics)
                .bootstrapServers(conn.getProperty("bootstrap.servers"))
                .topic(props.topic()).groupId(props.sinkGroup())
                .table(ordersTable(props.analyticsTable()), ROW)
                .deadLetterTopic(props.topic() + ".dlq")
                .batch(1_000, Duration.ofMillis(500))
                .meterRegistry(suho.meterRegistry(), suho.serviceName())
                .observationRegistry(observations);
        for (String name : conn.stringPropertyNames()) {
            if (!name.equals("bootstrap.servers")) {
                b.kafkaProperty(name, conn.getProperty(name));
            }
        }
        EventSink sink = b.build();
        sink.start();
        return sink;
    }

    static TableSpec ordersTable(String name) {
        return TableSpec.builder(name)
                .column("order_id", "String")
                .column("account_id", "String")
                .column("symbol", "String")
                .column("side", "String")
                .column("quantity", "UInt64")
                .column("price", "Float64")
                .column("event_id", "String")
                .column("created_at", "DateTime")
                .column("ingested_at", "DateTime")
                .replacingMergeTree("ingested_at")
                .partitionByMonth("created_at")
                .orderBy("order_id")
                .build();
    }

    static final EventRowMapper ROW = (event, origin, row) -> {
        OrderPlaced o = event.payloadAs(OrderPlaced.class);
        row.put("order_id", o.orderId()).put("account_id", o.accountId()).put("symbol", o.symbol())
                .put("side", o.side()).put("quantity", o.quantity()).put("price", o.price().doubleValue())
                .put("event_id", event.id().toString()).put("created_at", Instant.parse(o.createdAt()))
                .put("ingested_at", Instant.now());
    };
}
