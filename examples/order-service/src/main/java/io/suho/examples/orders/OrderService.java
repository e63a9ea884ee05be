package io.suho.examples.orders;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.cache.CacheClient;
import io.suho.client.cache.Price;
import io.suho.client.cache.RateLimit;
import io.suho.client.cache.RateLimiter;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.HybridPolicy;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.PullConsumerSpec;
import io.suho.client.messaging.StreamSpec;
import io.suho.client.messaging.TopicSpec;
import io.suho.client.postgres.PostgresClient;
import io.suho.pipelines.EventSink;
import io.suho.pipelines.EventTable;
import io.suho.pipelines.OutboxRelay;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The demo order service the README's main job ({@code infra/local/run}) starts after the hub: plain Java on the Suho
 * SDK, doing the platform's order flow end to end until Ctrl-C (or SIGTERM from {@code infra/local/run stop}).
 * <ol>
 *   <li>asks the hub for every store's endpoint and registers there (it shows in {@code /v1/services});</li>
 *   <li>keeps a price per symbol in the cache's {@code PriceCache} (a random walk, four times a second);</li>
 *   <li>places orders ({@code ORDER_RATE} per second, default 20) at the cached price, each allowed by a per-account
 *       rate limiter in the cache (5 per second per account) and written as an order row plus an outbox row in one
 *       PostgreSQL transaction;</li>
 *   <li>the {@link OutboxRelay} publishes the outbox with the hybrid publisher to NATS JetStream and Kafka
 *       ({@link HybridPolicy#BOTH});</li>
 *   <li>a JetStream consumer writes each order event to PostgreSQL ({@code demo_order_log}, keyed by the event id);</li>
 *   <li>the {@link EventSink} writes the Kafka topic into ClickHouse ({@code demo_order_events});</li>
 *   <li>prints one status line per second: orders placed, events per hop, breaker states.</li>
 * </ol>
 * Configuration is the SDK's: {@code SUHO_HUB_URL}, {@code SUHO_HUB_TOKEN} (set by {@code infra/local/run}), or the
 * stores' own variables without a hub.
 */
public final class OrderService {
    static final String TOPIC = "orders.placed";
    static final String STREAM = "DEMO_ORDERS";
    static final String[] SYMBOLS = {"AAPL", "MSFT", "NVDA", "TSLA", "BTCUSD"};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final AtomicLong placed = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong natsToPostgres = new AtomicLong();

    private OrderService() {
    }

    public static void main(String[] args) throws Exception {
        new OrderService().run(Double.parseDouble(System.getenv().getOrDefault("ORDER_RATE", "20")));
    }

    private void run(double rate) throws Exception {
        SuhoClients suho = SuhoClients.builder().serviceName("order-service").build();
        PostgresClient pg = suho.get(PostgresClient.class);
        CacheClient cache = suho.get(CacheClient.class);
        pg.update("CREATE TABLE IF NOT EXISTS demo_orders (id bigserial PRIMARY KEY, account text NOT NULL, "
                + "symbol text NOT NULL, qty int NOT NULL, price numeric NOT NULL, event_id uuid NOT NULL, "
                + "placed_at timestamptz NOT NULL DEFAULT now())");
        pg.update("CREATE TABLE IF NOT EXISTS demo_order_log (event_id uuid PRIMARY KEY, payload text NOT NULL, "
                + "stored_at timestamptz NOT NULL DEFAULT now())");
        suho.get(NatsClient.class).ensureStream(StreamSpec.of(STREAM, TOPIC).withMaxAge(Duration.ofDays(1)));
        suho.get(KafkaClient.class).ensureTopic(TopicSpec.of(TOPIC).withPartitions(3));

        OutboxRelay relay = OutboxRelay.builder(suho).policy(HybridPolicy.BOTH).topics(Set.of(TOPIC)).start();
        EventConsumer consumer = suho.get(NatsClient.class).consume(PullConsumerSpec.of(STREAM, "order-log-writer"),
                event -> {
                    // keyed by the event id: a redelivery commits nothing new and is acked
                    pg.update("INSERT INTO demo_order_log (event_id, payload) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            event.id(), event.payloadText());
                    natsToPostgres.incrementAndGet();
                });
        EventSink sink = EventSink.builder(suho).bootstrapServers(kafkaServers(suho)).topic(TOPIC)
                .groupId("order-service-sink").table(EventTable.spec("demo_order_events"), EventTable.MAPPER)
                .batch(1000, Duration.ofMillis(500)).build();
        sink.start();

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "order-service-shutdown"));
        daemon("prices", () -> updatePrices(cache, stop));
        daemon("orders", () -> placeOrders(pg, cache, rate, stop));
        System.out.printf("order-service: %.0f orders/s; Ctrl-C or infra/local/run stop ends it%n", rate);
        try {
            while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                System.out.println(status(suho, relay, sink));
            }
        } finally {
            consumer.close();
            sink.close();
            relay.close();
            suho.close();
            System.out.println("order-service: stopped after " + placed.get() + " orders");
            stopped.countDown();
        }
    }

    private String status(SuhoClients suho, OutboxRelay relay, EventSink sink) {
        Map<String, String> breakers = new TreeMap<>();
        suho.breakerStates().forEach((store, state) -> breakers.put(store.id(), state));
        return String.format("%s orders placed=%d rate_limited=%d failed=%d | outbox->nats+kafka=%d | nats->postgres=%d"
                + " | kafka->clickhouse=%d (lag %d) | breakers %s", LocalTime.now().format(CLOCK),
                placed.get(), limited.get(), failed.get(), relay.publishedCount(), natsToPostgres.get(),
                sink.rowsInserted(), sink.lag(), breakers.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")));
    }

    /** A random walk per symbol in the price cache, four times a second (one HSET for all symbols). */
    private static void updatePrices(CacheClient cache, CountDownLatch stop) {
        Map<String, BigDecimal> last = new TreeMap<>();
        for (String s : SYMBOLS) {
            last.put(s, BigDecimal.valueOf(100 + ThreadLocalRandom.current().nextInt(400)));
        }
        while (stop.getCount() > 0) {
            try {
                cache.prices().update(last.entrySet().stream().map(e -> {
                    BigDecimal next = e.getValue().multiply(BigDecimal.valueOf(
                            1 + ThreadLocalRandom.current().nextGaussian() * 0.001)).setScale(2, RoundingMode.HALF_UP);
                    e.setValue(next);
                    return new Price(e.getKey(), next, Instant.now());
                }).toList());
            } catch (RuntimeException e) {
                // the cache is away: the status line shows its breaker; orders wait for a price
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    /** Orders at a fixed rate: rate limit per account, price from the cache, order + outbox row in one transaction. */
    private void placeOrders(PostgresClient pg, CacheClient cache, double rate, CountDownLatch stop) {
        RateLimiter perAccount = cache.rateLimiter("orders", 5, Duration.ofSeconds(1));
        long period = (long) (1e9 / rate);
        long next = System.nanoTime();
        while (stop.getCount() > 0) {
            next += period;
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            // a few busy accounts, so the limiter has something to refuse
            String account = "acct-" + (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1, 20));
            String symbol = SYMBOLS[rnd.nextInt(SYMBOLS.length)];
            try {
                RateLimit allowed = perAccount.tryAcquire(account);
                if (!allowed.allowed()) {
                    limited.incrementAndGet();
                } else {
                    BigDecimal price = cache.prices().get(symbol).map(Price::price)
                            .orElseThrow(() -> new IllegalStateException("no price for " + symbol + " yet"));
                    int qty = rnd.nextInt(1, 100);
                    pg.inTransaction(tx -> {
                        UUID eventId = pg.outbox().append(tx, TOPIC, account, "order.placed",
                                ("{\"account\":\"" + account + "\",\"symbol\":\"" + symbol + "\",\"qty\":" + qty
                                        + ",\"price\":" + price + "}").getBytes(StandardCharsets.UTF_8), Map.of());
                        return tx.update("INSERT INTO demo_orders (account, symbol, qty, price, event_id, placed_at) "
                                + "VALUES (?, ?, ?, ?, ?, ?)", account, symbol, qty, price, eventId,
                                Timestamp.from(Instant.now()));
                    });
                    placed.incrementAndGet();
                }
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** The Kafka servers: from the SDK's configuration or the hub's catalog, else {@code KAFKA_BROKERS}. */
    private static String kafkaServers(SuhoClients suho) {
        String fromSdk = suho.config().hosts(Store.KAFKA).stream().map(HostPort::toString)
                .collect(Collectors.joining(","));
        return !fromSdk.isBlank() ? fromSdk : System.getenv().getOrDefault("KAFKA_BROKERS", "127.0.0.1:9092");
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, "order-service-" + name);
        t.setDaemon(true);
        t.start();
    }
}
