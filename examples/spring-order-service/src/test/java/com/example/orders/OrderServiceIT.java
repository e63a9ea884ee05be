package com.example.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.cache.CacheClient;
import io.suho.client.messaging.KafkaClient;
import io.suho.test.RequiredStores;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example end to end against the real local stack (PostgreSQL, Redis, Kafka, ClickHouse), run by Spring Boot
 * with Boot's managed library versions: an order placed over HTTP is one row in PostgreSQL and one outbox row, one
 * event in Kafka (published by the relay), one row in ClickHouse (written by the sink) and ACCEPTED by the consumer;
 * reads go through the cache, the per-account limit answers 429, {@code /stats} aggregates from ClickHouse.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderServiceIT {
    private static final String RUN = Long.toHexString(System.nanoTime());
    private static final String TOPIC = "spring-orders-it-" + RUN;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<StoreKind> STORES = List.of(StoreKind.POSTGRES, StoreKind.REDIS, StoreKind.KAFKA,
            StoreKind.CLICKHOUSE);

    /** Before the context loads, so a missing store skips (or fails when required) the class cleanly. */
    @BeforeAll
    static void serversFirst() {
        STORES.forEach(OrderServiceIT::server);
    }

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        for (StoreKind kind : STORES) {
            StoreServer s = server(kind);
            String prefix = "suho." + s.store().id() + ".";
            registry.add(prefix + "hosts", s::hostPort);
            if (s.database() != null) {
                registry.add(prefix + "database", s::database);
            }
            if (s.user() != null) {
                registry.add(prefix + "user", s::user);
            }
            if (s.password() != null) {
                registry.add(prefix + "password", s::password);
            }
        }
        registry.add("orders.topic", () -> TOPIC);
        registry.add("orders.consumer-group", () -> "order-acceptor-" + RUN);
        registry.add("orders.sink-group", () -> "orders-to-clickhouse-" + RUN);
        registry.add("orders.rate-per-minute", () -> "3");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CacheClient cache;
    @Autowired
    AnalyticsClient analytics;
    @Autowired
    KafkaClient kafka;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anOrderGoesThroughEveryStore() throws Exception {
        String symbol = "T" + RUN.substring(RUN.length() - 6).toUpperCase();
        String account = "acc-" + RUN;
        HttpResponse<String> placed = post("/orders", Map.of("accountId", account, "symbol", symbol, "side", "buy",
                "quantity", 10, "price", 101.25));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        JsonNode order = JSON.readTree(placed.body());
        UUID id = UUID.fromString(order.get("id").asText());
        assertThat(placed.headers().firstValue("Location")).contains("/orders/" + id);

        // PostgreSQL: the order row and its outbox row, committed together
        assertThat(jdbc.queryForObject("SELECT count(*) FROM shop_orders WHERE id = ?", Long.class, id)).isOne();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM suho_outbox WHERE topic = ? AND event_key = ?",
                Long.class, TOPIC, account)).isOne();

        // Kafka: the relay published it
        ConsumerRecord<byte[], byte[]> record = awaitRecord(id);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(account);

        // ClickHouse: the sink wrote it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> analytics.queryLong(
                "SELECT count() FROM shop_orders FINAL WHERE order_id = {id:String}", Map.of("id", id.toString()))
                == 1);

        // the consumer accepted it; GET reads through the cache (dropped on accept, so the new status shows)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "ACCEPTED".equals(JSON.readTree(get("/orders/" + id).body()).get("status").asText()));
        assertThat(cache.get(OrderController.cacheKey(id), Order.class)).get()
                .extracting(Order::status).isEqualTo("ACCEPTED");
        assertThat(get("/orders/" + UUID.randomUUID()).statusCode()).isEqualTo(404);

        // /stats aggregates from ClickHouse
        JsonNode stats = JSON.readTree(get("/stats").body());
        JsonNode mine = null;
        for (JsonNode s : stats) {
            if (symbol.equals(s.get("symbol").asText())) {
                mine = s;
            }
        }
        assertThat(mine).as(stats.toString()).isNotNull();
        assertThat(mine.get("orders").asLong()).isEqualTo(1);
        assertThat(mine.get("notional").asDouble()).isEqualTo(1012.5);

        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void theFourthOrderOfAnAccountWithinAMinuteIs429() throws Exception {
        String account = "acc-limit-" + RUN;
        Map<String, Object> body = Map.of("accountId", account, "symbol", "LIM", "side", "SELL", "quantity", 1,
                "price", 5);
        for (int i = 0; i < 3; i++) {
            assertThat(post("/orders", body).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> refused = post("/orders", body);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM shop_orders WHERE account_id = ?", Long.class, account))
                .isEqualTo(3);
    }

    @Test
    void anInvalidOrderIs400NamingTheField() throws Exception {
        HttpResponse<String> r = post("/orders", Map.of("accountId", "a", "symbol", "X", "side", "HOLD",
                "quantity", 1, "price", 1));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("side");
    }

    private ConsumerRecord<byte[], byte[]> awaitRecord(UUID orderId) {
        Properties p = new Properties();
        p.putAll(kafka.connectionProperties());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(TOPIC).forEach(i -> parts.add(new TopicPartition(TOPIC, i.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (new String(r.value(), StandardCharsets.UTF_8).contains(orderId.toString())) {
                        found.add(r);
                    }
                }
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A real server from suho-test-support; skipped with the reason, or failed when the kind is required. */
    private static StoreServer server(StoreKind kind) {
        StoreResolver.Resolution r = StoreResolver.resolve(kind);
        if (r.available()) {
            return r.server();
        }
        String reason = kind + " unavailable: " + r.reason();
        if (RequiredStores.isRequired(kind)) {
            throw new AssertionError(reason + " (required by -D" + RequiredStores.PROPERTY + ")");
        }
        System.err.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        return null;
    }
}
