package io.suho.spring.boot.autoconfigure;

import io.suho.client.postgres.Outbox;
import io.suho.client.postgres.Transaction;
import io.suho.spring.boot.autoconfigure.internal.SpringBoundTransaction;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The transactional outbox inside a Spring-managed transaction: call it from a {@code @Transactional} method and the
 * {@code suho_outbox} row is written on the same connection as your {@code JdbcTemplate}/{@code JdbcClient}/jOOQ
 * statements, so the business rows and the event commit together or not at all. The relay
 * ({@code io.suho.pipelines.OutboxRelay}) publishes committed rows.
 *
 * <pre>{@code
 * @Transactional
 * public void place(Order o) {
 *     jdbc.update("INSERT INTO orders (id, account_id) VALUES (?, ?)", o.id(), o.accountId());
 *     outbox.append("orders.placed", o.accountId(), json(o));
 * }
 * }</pre>
 *
 * Auto-configured when suho-client-postgres and spring-jdbc are on the classpath; it writes through the
 * application's {@link DataSource} bean, which must reach the database holding {@code suho_outbox} (the SDK's primary
 * pool does, and is the DataSource unless {@code spring.datasource.url} is set).
 */
public final class SuhoSpringOutbox {
    private final Outbox outbox;
    private final DataSource dataSource;

    public SuhoSpringOutbox(Outbox outbox, DataSource dataSource) {
        this.outbox = outbox;
        this.dataSource = dataSource;
    }

    /**
     * Appends an event (event type = topic, no headers) in the current Spring transaction; returns its event id.
     *
     * @throws IllegalStateException when no Spring transaction is active on the DataSource
     */
    public UUID append(String topic, String key, byte[] payload) {
        return outbox.append(transaction(), topic, key, payload);
    }

    /**
     * Appends an event in the current Spring transaction; {@code key} may be null, headers may be empty.
     *
     * @throws IllegalStateException when no Spring transaction is active on the DataSource
     */
    public UUID append(String topic, String key, String eventType, byte[] payload, Map<String, String> headers) {
        return outbox.append(transaction(), topic, key, eventType, payload, headers);
    }

    /**
     * The current Spring transaction as a Suho {@link Transaction} (for {@link Outbox} calls or Suho-style statements).
     *
     * @throws IllegalStateException when no Spring transaction is active on the DataSource
     */
    public Transaction transaction() {
        return SpringBoundTransaction.current(dataSource);
    }
}
