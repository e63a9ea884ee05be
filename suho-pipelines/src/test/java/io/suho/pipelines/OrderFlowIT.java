package io.suho.pipelines;


import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.client.messaging.StreamSpec;
import io.suho.client.postgres.PostgresClient;
import io.suho.events.Event;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The order flow: JetStream order event → one PostgreSQL row per event id, committed, then acked. */
class OrderFlowIT {
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    static SuhoClients clients(StoreServer pg, StoreServer nats, String name) {
        return nats.configure(pg.configure(SuhoClients.builder().serviceName(name))).build();
    }

    /** Thrown by the test hook to kill the consumer thread after the commit and before the ack. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }

    @Test
    void consumerKilledBetweenCommitAndAckLeavesOneRowPerEvent(@RealStore(StoreKind.POSTGRES) StoreServer pgServer,
            @RealStore(StoreKind.NATS) StoreServer natsServer) {
        String stream = "IT_ORDERS_" + RUN;
        String subject = "it." + RUN + ".orders.created";
        String table = "it_order_events_" + RUN;
        PullConsumerSpec spec = PullConsumerSpec.of(stream, "order-writer").withAckWait(Duration.ofSeconds(2))
                .withBatchSize(10);
        List<Event> events = new ArrayList<>();
        Event crashOn;
        long firstInserted;
        try (SuhoClients first = clients(pgServer, natsServer, "order-flow-1")) {
            NatsClient nats = first.get(NatsClient.class);
            PostgresClient pg = first.get(PostgresClient.class);
            nats.ensureStream(StreamSpec.of(stream, "it." + RUN + ".orders.>").withMaxAge(Duration.ofHours(1)));
            OrderFlowConsumer orders = new OrderFlowConsumer(pg, table);
            orders.createTable();
            for (int i = 0; i < 6; i++) {
                Event e = Event.builder("order.created").source("order-flow-it").key("o-" + i)
                        .json(Map.of("order", "o-" + i, "qty", i + 1)).build();
                events.add(e);
                nats.jsPublish(subject, e);
            }
            crashOn = events.get(3);
            Event target = crashOn;
            AtomicBoolean crashed = new AtomicBoolean();
            // the real handler commits, then the "process" dies before returning, so the ack is never sent
            EventConsumer c = nats.consume(spec, ev -> {
                orders.handle(ev);
                if (ev.id().equals(target.id()) && crashed.compareAndSet(false, true)) {
                    throw new SimulatedCrash("killed after the commit of " + ev.id() + ", before its ack");
                }
            });
            // the crash is an uncaught Error on the consumer thread, which Awaitility would otherwise report
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).until(() -> !c.isRunning());
            c.close();
            assertThat(crashed).isTrue();
            assertThat(rowCount(pg, table, crashOn.id())).as("committed before the crash").isEqualTo(1);
            firstInserted = orders.inserted();
        }
        // a new consumer process: gets the unacked event again after ackWait, plus the rest
        try (SuhoClients second = clients(pgServer, natsServer, "order-flow-2")) {
            PostgresClient pg = second.get(PostgresClient.class);
            OrderFlowConsumer orders = new OrderFlowConsumer(pg, table);
            Set<UUID> delivered = ConcurrentHashMap.newKeySet();
            try (EventConsumer c = second.get(NatsClient.class).consume(spec, ev -> {
                orders.handle(ev);
                delivered.add(ev.id());
            })) {
                await().atMost(Duration.ofSeconds(30)).until(() -> delivered.containsAll(events.stream()
                        .skip(3).map(Event::id).toList()));
            }
            assertThat(delivered).contains(crashOn.id());
            assertThat(orders.duplicates()).as("the redelivered event found its row").isGreaterThanOrEqualTo(1);
            for (Event e : events) {
                assertThat(rowCount(pg, table, e.id())).as("rows for %s", e.id()).isEqualTo(1);
            }
            assertThat(pg.queryOne("SELECT count(*) FROM " + table, rs -> rs.getLong(1)).orElseThrow())
                    .isEqualTo(events.size());
            assertThat(firstInserted + orders.inserted()).isEqualTo(events.size());
            System.out.printf("RESULT order_flow events=%d rows=%d redelivered_duplicates=%d%n", events.size(),
                    events.size(), orders.duplicates());
            pg.update("DROP TABLE " + table);
        }
    }

    @Test
    void rejectsATableNameThatIsNotAnIdentifier(@RealStore(StoreKind.POSTGRES) StoreServer pgServer) {
        try (SuhoClients suho = pgServer.configure(SuhoClients.builder().serviceName("order-flow-bad")).build()) {
            assertThatThrownBy(() -> new OrderFlowConsumer(suho.get(PostgresClient.class), "orders; DROP TABLE x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order table name");
        }
    }

    private static long rowCount(PostgresClient pg, String table, UUID id) {
        return pg.queryOne("SELECT count(*) FROM " + table + " WHERE event_id = ?", rs -> rs.getLong(1), id)
                .orElseThrow();
    }
}
