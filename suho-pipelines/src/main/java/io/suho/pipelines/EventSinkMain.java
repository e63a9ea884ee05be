package io.suho.pipelines;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs an {@link EventSink} as a process for ops:
 * {@code java -cp … io.suho.pipelines.EventSinkMain --topic trades --group trades-to-ch
 * [--table trades_events] [--dead-letter-topic trades.dlq] [--batch-rows 10000] [--batch-delay-ms 1000]
 * [--bootstrap host:9092] [--service event-sink] [--kafka.session.timeout.ms 10000]}.
 * {@code --table} defaults to the topic with every character outside {@code [A-Za-z0-9_]} replaced by {@code _}, plus
 * {@code _events}; {@code --service} (default {@code event-sink}) is the SDK service name and the metrics' {@code service}
 * tag. ClickHouse comes from the usual SDK configuration ({@code SUHO_ANALYTICS_HOSTS} or
 * {@code CLICKHOUSE_HOST}/{@code CLICKHOUSE_HTTP_PORT}, the hub, …); Kafka from {@code --bootstrap}, else
 * {@code suho.kafka.hosts} / {@code SUHO_KAFKA_HOSTS} / {@code KAFKA_BROKERS} (not from the hub); with none of them the
 * process exits with status 2 and says so. Writes into the generic {@link EventTable} schema. A new consumer group
 * starts at the earliest retained record. Stops cleanly on SIGTERM (writes and commits its current batch if it can).
 */
public final class EventSinkMain {
    private EventSinkMain() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        if (args.containsKey("help") || !args.containsKey("topic") || !args.containsKey("group")) {
            System.out.println("usage: EventSinkMain --topic T --group G [--table NAME] [--dead-letter-topic T]"
                    + " [--batch-rows N] [--batch-delay-ms MS] [--bootstrap host:port] [--service NAME]"
                    + " [--kafka.<consumer property> VALUE]");
            System.exit(args.containsKey("help") ? 0 : 2);
        }
        String service = args.getOrDefault("service", "event-sink");
        SuhoClients suho = SuhoClients.builder().serviceName(service).build();
        String bootstrap = args.get("bootstrap");
        if (bootstrap == null) {
            bootstrap = suho.config().hosts(Store.KAFKA).stream().map(HostPort::toString)
                    .collect(Collectors.joining(","));
        }
        if (bootstrap.isBlank()) {
            System.err.println("event sink: no Kafka servers; fix: pass --bootstrap host:9092, or set KAFKA_BROKERS"
                    + " (or suho.kafka.hosts / SUHO_KAFKA_HOSTS)");
            suho.close();
            System.exit(2);
        }
        String topic = args.get("topic");
        String table = args.getOrDefault("table", topic.replaceAll("[^A-Za-z0-9_]", "_") + "_events");
        EventSink.Builder builder = EventSink.builder(suho.get(AnalyticsClient.class))
                .bootstrapServers(bootstrap).topic(topic).groupId(args.get("group"))
                .table(EventTable.spec(table), EventTable.MAPPER)
                .deadLetterTopic(args.get("dead-letter-topic"))
                .batch(Integer.parseInt(args.getOrDefault("batch-rows", "10000")),
                        Duration.ofMillis(Long.parseLong(args.getOrDefault("batch-delay-ms", "1000"))))
                .meterRegistry(suho.meterRegistry(), service);
        args.forEach((k, v) -> {
            if (k.startsWith("kafka.")) {
                builder.kafkaProperty(k.substring("kafka.".length()), v);
            }
        });
        EventSink sink = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            suho.close();
        }, "event-sink-shutdown"));
        System.out.println("event sink: " + topic + " -> ClickHouse table " + table + " (group " + args.get("group")
                + ", Kafka " + bootstrap + ")");
        try {
            sink.run();
        } finally {
            stopped.countDown();
        }
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                out.put(key, argv[++i]);
            } else {
                out.put(key, "true");
            }
        }
        return out;
    }
}
