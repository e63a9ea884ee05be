package io.suho.bench.drill;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.client.postgres.PostgresClient;
import io.suho.pipelines.EventSink;
import io.suho.pipelines.EventTable;
import io.suho.pipelines.OutboxRelay;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The processes a pipeline drill kills with SIGKILL and starts again, each in its own JVM from the benchmarks jar:
 * {@code java -cp suho-benchmarks.jar io.suho.bench.drill.PipelineChild relay|sink|orders-consumer --key value…}.
 * <ul>
 *   <li>{@code relay --topic T}: an {@link OutboxRelay} (Kafka only) for the outbox rows of topic T;</li>
 *   <li>{@code sink --topic T --table X --group G}: an {@link EventSink} from T into the ClickHouse table X
 *       ({@link EventTable} schema);</li>
 *   <li>{@code orders-consumer --stream S --durable D --table O --inbox I}: a JetStream pull consumer that writes each
 *       order into O, deduplicated by the inbox table I (event id primary key) in the same transaction.</li>
 * </ul>
 * Each resolves its stores like the drill targets (the local stack) and runs until killed or SIGTERMed.
 */
public final class PipelineChild {
    private PipelineChild() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        CountDownLatch done = new CountDownLatch(1);
        switch (argv[0]) {
            case "relay" -> {
                SuhoClients suho = connect("drill-relay", StoreKind.POSTGRES, StoreKind.KAFKA);
                OutboxRelay relay = OutboxRelay.builder(suho).topics(Set.of(a.get("topic"))).batchSize(500)
                        .pollInterval(Duration.ofMillis(50)).start();
                onExit(done, relay, suho);
            }
            case "sink" -> {
                SuhoClients suho = connect("drill-sink", StoreKind.CLICKHOUSE);
                EventSink sink = EventSink.builder(suho.get(AnalyticsClient.class))
                        .bootstrapServers(StoreResolver.resolve(StoreKind.KAFKA).server().hostPort())
                        .topic(a.get("topic")).groupId(a.get("group"))
                        .table(EventTable.spec(a.get("table")), EventTable.MAPPER)
                        .batch(5000, Duration.ofMillis(200)).meterRegistry(suho.meterRegistry(), "drill-sink").build();
                onExit(done, sink, suho);
                System.out.println("[child] sink started");
                sink.run(); // on the main thread: a sink that gives up ends the process, visibly
                return;
            }
            case "orders-consumer" -> {
                SuhoClients suho = connect("drill-orders", StoreKind.NATS, StoreKind.POSTGRES);
                PostgresClient pg = suho.get(PostgresClient.class);
                String inbox = a.get("inbox");
                String table = a.get("table");
                EventConsumer c = suho.get(NatsClient.class).consume(PullConsumerSpec.of(a.get("stream"),
                        a.get("durable")).withAckWait(Duration.ofSeconds(5)).withMaxDeliver(1000), e ->
                        pg.inTransaction(tx -> {
                            // the inbox row and the order row commit together: a redelivery finds the inbox row
                            if (tx.update("INSERT INTO " + inbox + " (event_id) VALUES (?) ON CONFLICT DO NOTHING",
                                    e.id()) == 1) {
                                tx.update("INSERT INTO " + table + " (event_id, payload) VALUES (?, ?)", e.id(),
                                        e.payloadText());
                            }
                            return null;
                        }));
                onExit(done, c, suho);
            }
            default -> throw new IllegalArgumentException("relay, sink or orders-consumer, not " + argv[0]);
        }
        System.out.println("[child] " + argv[0] + " started");
        done.await();
    }

    private static void onExit(CountDownLatch done, AutoCloseable work, SuhoClients suho) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                work.close();
            } catch (Exception e) {
                System.out.println("[child] close: " + e);
            }
            suho.close();
            done.countDown();
        }));
    }

    static SuhoClients connect(String service, StoreKind... kinds) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName(service);
        for (StoreKind k : kinds) {
            StoreResolver.Resolution r = StoreResolver.resolve(k);
            if (!r.available()) {
                throw new IllegalStateException("no " + k + " server for the drill: " + r.reason());
            }
            r.server().configure(b);
        }
        return b.build();
    }
}
