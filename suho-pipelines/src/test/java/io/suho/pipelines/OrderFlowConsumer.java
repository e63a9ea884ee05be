package io.suho.pipelines;

import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.EventHandler;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.client.postgres.PostgresClient;
import io.suho.events.Event;
import java.sql.Timestamp;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The order-flow example (test code of suho-pipelines, exercised by {@link OrderFlowIT}; copy it into a service): a
 * JetStream order event becomes one PostgreSQL row keyed by the event id, committed before the message is
 * acknowledged.
 *
 * <p>Delivery is at least once: a consumer that dies after the commit and before the ack gets the message again
 * (after the consumer's {@code ackWait}). The row's primary key is the event id and the insert is
 * {@code ON CONFLICT (event_id) DO NOTHING}, so the redelivered duplicate commits nothing new and is acked. Use it as
 * it is for an event log table, or as the pattern for a handler that writes business rows (put the event id in a
 * unique column of the same transaction).
 *
 * <pre>{@code
 * OrderFlowConsumer orders = new OrderFlowConsumer(suho.get(PostgresClient.class), "order_events");
 * orders.createTable();
 * EventConsumer c = orders.start(suho.get(NatsClient.class), PullConsumerSpec.of("ORDERS", "order-writer"));
 * }</pre>
 */
public final class OrderFlowConsumer implements EventHandler {
    private static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final PostgresClient pg;
    private final String table;
    private final String insertSql;
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    /**
     * @param table the table the rows go to (lower-case SQL identifier; created by {@link #createTable()})
     */
    public OrderFlowConsumer(PostgresClient pg, String table) {
        this.pg = Objects.requireNonNull(pg, "pg");
        if (table == null || !IDENT.matcher(table).matches()) {
            throw new IllegalArgumentException("order table name '" + table
                    + "' must be a lower-case SQL identifier ([a-z_][a-z0-9_]{0,62})");
        }
        this.table = table;
        this.insertSql = "INSERT INTO " + table + " (event_id, event_type, order_key, source, payload, occurred_at) "
                + "VALUES (?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (event_id) DO NOTHING";
    }

    /** Creates the table if it does not exist: {@code event_id uuid PRIMARY KEY}, type, key, source, payload, times. */
    public void createTable() {
        pg.update("CREATE TABLE IF NOT EXISTS " + table + " (event_id uuid PRIMARY KEY, event_type text NOT NULL, "
                + "order_key text, source text NOT NULL, payload jsonb NOT NULL, occurred_at timestamptz NOT NULL, "
                + "stored_at timestamptz NOT NULL DEFAULT now())");
    }

    /**
     * Inserts the event's row in its own transaction and returns after the commit (the consumer then acks). A
     * payload that is not JSON can never be stored: {@link EventHandler.PermanentFailure} (dead-lettered at once).
     */
    @Override
    public void handle(Event event) {
        if (!Event.JSON.equals(event.contentType())) {
            throw new PermanentFailure("order event " + event.id() + " has content type " + event.contentType()
                    + ", expected " + Event.JSON);
        }
        int n = pg.inTransaction(tx -> tx.update(insertSql, event.id(), event.type(), event.key(), event.source(),
                event.payloadText(), Timestamp.from(event.time())));
        (n == 1 ? inserted : duplicates).incrementAndGet();
    }

    /** Runs this handler over a durable JetStream pull consumer (ack after commit, see {@link NatsClient#consume}). */
    public EventConsumer start(NatsClient nats, PullConsumerSpec spec) {
        return nats.consume(spec, this);
    }

    /** Rows this instance inserted. */
    public long inserted() {
        return inserted.get();
    }

    /** Deliveries whose row already existed (redelivered duplicates) — committed nothing, acked. */
    public long duplicates() {
        return duplicates.get();
    }

    /** The table name. */
    public String table() {
        return table;
    }
}
