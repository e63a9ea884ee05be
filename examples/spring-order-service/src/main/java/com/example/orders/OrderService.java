package com.example.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.UuidV7;
import io.suho.spring.boot.autoconfigure.SuhoSpringOutbox;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Orders in PostgreSQL: the order row and its event are written in one Spring transaction. */
@Service
public class OrderService {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient jdbc;
    private final SuhoSpringOutbox outbox;
    private final OrdersProperties props;

    public OrderService(JdbcClient jdbc, SuhoSpringOutbox outbox, OrdersProperties props) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.props = props;
    }

    /** Inserts the order and appends its {@code order.placed} event: both commit, or neither. */
    @Transactional
    public Order place(OrderRequest r) {
        Order o = new Order(UuidV7.next(), r.accountId(), r.symbol(), r.side(), r.quantity(), r.price(), "NEW",
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        jdbc.sql("INSERT INTO shop_orders (id, account_id, symbol, side, quantity, price, status, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(o.id(), o.accountId(), o.symbol(), o.side(), o.quantity(), o.price(), o.status(),
                        Timestamp.from(o.createdAt()))
                .update();
        outbox.append(props.topic(), o.accountId(), "order.placed", json(OrderPlaced.of(o)), Map.of());
        return o;
    }

    public Optional<Order> find(UUID id) {
        return jdbc.sql("SELECT id, account_id, symbol, side, quantity, price, status, created_at "
                + "FROM shop_orders WHERE id = ?").param(id)
                .query((rs, n) -> new Order(rs.getObject("id", UUID.class), rs.getString("account_id"),
                        rs.getString("symbol"), rs.getString("side"), rs.getLong("quantity"),
                        rs.getBigDecimal("price"), rs.getString("status"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }

    /** Marks a NEW order ACCEPTED (idempotent: a redelivered event changes nothing). */
    @Transactional
    public boolean accept(UUID id) {
        return jdbc.sql("UPDATE shop_orders SET status = 'ACCEPTED' WHERE id = ? AND status = 'NEW'").param(id)
                .update() == 1;
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the event as JSON", e);
        }
    }
}
