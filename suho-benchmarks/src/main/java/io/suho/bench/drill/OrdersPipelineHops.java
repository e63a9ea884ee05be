package io.suho.bench.drill;

import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.AmbiguousPublishException;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.StreamSpec;
import io.suho.client.postgres.PostgresClient;
import io.suho.events.Event;
import io.suho.events.EventCodec;
import io.suho.test.LocalStack;
import io.suho.test.StoreKind;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code --drill orders}: each order published to a JetStream stream through the SDK ({@code jsPublish}, acknowledged
 * by the stream; an ambiguous publish is re-sent with the same event id, which the stream's duplicate window drops);
 * a consumer (a child process) writes each order into a PostgreSQL table with no unique constraint, deduplicated by an
 * inbox table keyed by the event id in the same transaction, and acks after the commit. Faults: the consumer SIGKILLed,
 * NATS stopped and started, PostgreSQL stopped and started. Hops counted: messages in the stream (read whole), raw
 * order rows in PostgreSQL.
 */
final class OrdersPipelineHops implements PipelineDrill.Hops {
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String stream = "DRILL_ORDERS_" + run.toUpperCase(Locale.ROOT);
    private final String subject = "drill.orders." + run;
    private final String table = "drill_orders_" + run;
    private final String inbox = "drill_orders_inbox_" + run;
    private final Path logDir = Path.of(System.getProperty("java.io.tmpdir"));
    private long seenSeq;
    private SuhoClients suho;
    private NatsClient nats;
    private PostgresClient pg;
    private ChildProcess consumer;

    @Override
    public String label() {
        return "ORDERS";
    }

    @Override
    public void setUp() throws Exception {
        suho = PipelineChild.connect("drill-orders", StoreKind.NATS, StoreKind.POSTGRES);
        nats = suho.get(NatsClient.class);
        pg = suho.get(PostgresClient.class);
        nats.ensureStream(StreamSpec.of(stream, subject).withMaxAge(Duration.ofHours(1))
                .withDuplicateWindow(Duration.ofMinutes(10)));
        pg.update("CREATE TABLE " + table + " (seq bigserial, event_id uuid NOT NULL, payload text NOT NULL, "
                + "stored_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        pg.update("CREATE TABLE " + inbox + " (event_id uuid PRIMARY KEY)");
        consumer = new ChildProcess(logDir.resolve(table + "-consumer.log"), "orders-consumer", "--stream", stream,
                "--durable", "orders-writer", "--table", table, "--inbox", inbox).start();
        System.out.printf(Locale.ROOT, "[orders] stream %s, tables %s and %s; consumer log %s%n", stream, table, inbox,
                consumer.logFile());
    }

    /** Acknowledged when the stream acked it; an ambiguous publish is re-sent with the same id (up to 5 times). */
    @Override
    public UUID place(long seq) throws Exception {
        Event e = Event.builder("order.placed").id(UUID.randomUUID()).source("drill-orders").key("acct-" + (seq % 64))
                .json(Map.of("order", seq, "amount", seq % 97 + 1)).build();
        boolean ambiguous = false;
        for (int attempt = 1; ; attempt++) {
            try {
                nats.jsPublish(subject, e);
                return e.id();
            } catch (AmbiguousPublishException unknown) {
                ambiguous = true;
                if (attempt == 5) {
                    throw unknown;
                }
            } catch (RuntimeException failed) {
                // a re-send refused as "not sent" does not make the first, ambiguous attempt "not sent"
                throw ambiguous ? new AmbiguousThenFailedException(failed) : failed;
            }
        }
    }

    /** An order whose publish was ambiguous and whose re-send then failed: it may be in the stream. */
    static final class AmbiguousThenFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AmbiguousThenFailedException(Throwable cause) {
            super("ambiguous publish, then the re-send failed: " + cause, cause);
        }
    }

    @Override
    public List<PipelineDrill.Fault> faults() {
        return List.of(
                OutboxPipelineHops.fault("consumer_kill", consumer::kill, () -> consumer.start()),
                OutboxPipelineHops.fault("nats_restart", () -> LocalStack.down(StoreKind.NATS),
                        () -> LocalStack.up(StoreKind.NATS)),
                OutboxPipelineHops.fault("postgres_restart", () -> LocalStack.down(StoreKind.POSTGRES),
                        () -> LocalStack.up(StoreKind.POSTGRES)));
    }

    /** Rows stored since the last poll, timed by PostgreSQL's own {@code clock_timestamp()} at the insert. */
    @Override
    public Map<UUID, Long> arrivals() {
        Map<UUID, Long> out = new HashMap<>();
        List<Object[]> rows = pg.query("SELECT seq, event_id, stored_at FROM " + table + " WHERE seq > ? ORDER BY seq",
                rs -> new Object[] {rs.getLong(1), rs.getObject(2), rs.getTimestamp(3)}, seenSeq);
        for (Object[] r : rows) {
            out.putIfAbsent((UUID) r[1], ((Timestamp) r[2]).getTime());
            seenSeq = Math.max(seenSeq, (Long) r[0]);
        }
        return out;
    }

    @Override
    public List<PipelineDrill.Hop> count() throws Exception {
        List<UUID> messages = new ArrayList<>();
        StreamReader.readAll(nats.connection(), stream, subject,
                m -> messages.add(UUID.fromString(m.getHeaders().getFirst(EventCodec.NATS_ID))));
        List<UUID> rows = pg.query("SELECT event_id FROM " + table, rs -> (UUID) rs.getObject(1));
        return List.of(new PipelineDrill.Hop("nats_distinct", messages.size(), new HashSet<>(messages)),
                new PipelineDrill.Hop("postgres_distinct", rows.size(), new HashSet<>(rows)));
    }

    /** The order table has no unique constraint: the inbox is the dedup, so raw copies are what a reader sees. */
    @Override
    public long afterDedupCopies() {
        return pg.queryOne("SELECT count(*) - count(DISTINCT event_id) FROM " + table, rs -> rs.getLong(1))
                .orElse(0L);
    }

    @Override
    public void close() {
        try {
            if (consumer != null) {
                consumer.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (suho == null) {
            return;
        }
        OutboxPipelineHops.cleanup(() -> pg.update("DROP TABLE IF EXISTS " + table));
        OutboxPipelineHops.cleanup(() -> pg.update("DROP TABLE IF EXISTS " + inbox));
        OutboxPipelineHops.cleanup(() -> nats.connection().jetStreamManagement().deleteStream(stream));
        suho.close();
    }
}
