package io.suho.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.cache.CacheClient;
import io.suho.client.cache.Price;
import io.suho.client.cache.PriceCache;
import io.suho.client.cache.RateLimiter;
import io.suho.client.core.SuhoClients;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --store cache}: the cache client against raw Lettuce on the same server with the same connection settings
 * (REJECT_COMMANDS, fixed command timeout, ≤ 500 ms reconnect delay, AUTH). Both sides do the same JSON work with the
 * same Jackson configuration, so the difference is the SDK's own path (key checks, prefixing, breaker, timer, and
 * Lettuce's Micrometer command-latency recorder, which the SDK turns on by default; {@code --lettuce-metrics false}
 * turns it off). {@code --kind dragonfly} runs against {@code SUHO_DRAGONFLY_URL}.
 */
public final class CacheSuite implements BenchmarkSuite {
    /** The small JSON value of the get/set/mget operations (~90 bytes). */
    public record Quote(String symbol, BigDecimal bid, BigDecimal ask, Instant time) {
    }

    private SuhoClients suho;
    private RedisClient rawClient;
    private ClientResources rawResources;
    private StatefulRedisConnection<String, String> rawConnection;
    private RedisCommands<String, String> raw;
    private final List<String> created = new ArrayList<>();

    @Override
    public String store() {
        return "cache";
    }

    @Override
    public List<BenchOperation> setUp(BenchContext ctx) throws Exception {
        StoreKind kind = "dragonfly".equals(ctx.arg("kind", "redis").toLowerCase(Locale.ROOT)) ? StoreKind.DRAGONFLY
                : StoreKind.REDIS;
        StoreResolver.Resolution r = StoreResolver.resolve(kind);
        if (!r.available()) {
            throw new IllegalStateException("no " + kind + " server: " + r.reason());
        }
        StoreServer server = r.server();
        Duration timeout = Duration.ofSeconds(1);
        String ns = "bench";
        suho = server.configure(SuhoClients.builder().serviceName("bench"))
                .environment(Map.of())
                .meterRegistry(new SimpleMeterRegistry())
                .endpointCacheFile(Files.createTempDirectory("bench-cache").resolve("endpoints.json"))
                .set("suho.cache.namespace", ns)
                .set("suho.cache.timeout", "1s")
                .set("suho.cache.metrics.command-latency", ctx.arg("lettuce-metrics", "true"))
                .build();
        CacheClient cache = suho.get(CacheClient.class);

        rawResources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        rawClient = RedisClient.create(rawResources);
        rawClient.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).keepAlive(true)
                        .tcpNoDelay(true).build())
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(timeout).build())
                .build());
        RedisURI.Builder uri = RedisURI.Builder.redis(server.host(), server.port()).withTimeout(timeout);
        if (server.password() != null) {
            if (server.user() != null) {
                uri.withAuthentication(server.user(), server.password().toCharArray());
            } else {
                uri.withPassword(server.password().toCharArray());
            }
        }
        rawConnection = rawClient.connect(uri.build());
        raw = rawConnection.sync();

        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Quote quote = new Quote("BTC-USD", new BigDecimal("64210.50"), new BigDecimal("64211.00"),
                Instant.parse("2026-01-01T00:00:00Z"));
        Duration ttl = Duration.ofMinutes(10);
        SetArgs px = SetArgs.Builder.px(ttl.toMillis());

        // get: one small JSON value
        cache.set("quote", quote, ttl);
        String quoteKey = cache.storedKey("quote");
        created.add(quoteKey);

        // mget_100
        List<String> keys = new ArrayList<>();
        Map<String, Quote> many = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            keys.add("q" + i);
            many.put("q" + i, quote);
        }
        cache.mset(many, ttl);
        String[] rawKeys = keys.stream().map(cache::storedKey).toArray(String[]::new);
        created.addAll(List.of(rawKeys));
        created.add(cache.storedKey("set-sdk"));
        created.add(ns + ":set-raw");

        // rate_limit: the SDK's script, run raw by SHA with the same arguments
        RateLimiter limiter = cache.rateLimiter("bench", 1_000_000_000, Duration.ofSeconds(1));
        String script = RateLimiter.script();
        String sha = raw.scriptLoad(script);
        String[] rlKey = {ns + ":ratelimit:bench:raw"};
        created.add(rlKey[0]);
        created.add(ns + ":ratelimit:bench:sdk");
        AtomicLong member = new AtomicLong();
        String limitArg = "1000000000";
        String windowArg = Long.toString(Duration.ofSeconds(1).toNanos() / 1000);

        // price_update_100
        PriceCache prices = cache.withNamespace(ns + "-sdk").prices();
        String rawPriceKey = ns + "-raw:prices";
        created.add(ns + "-sdk:prices");
        created.add(rawPriceKey);
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            symbols.add("SYM" + i);
        }
        BigDecimal base = new BigDecimal("100.25");

        return List.of(
                BenchOperation.of("get",
                        () -> cache.get("quote", Quote.class).orElseThrow(),
                        () -> mapper.readValue(raw.get(quoteKey), Quote.class)),
                BenchOperation.of("set",
                        () -> cache.set("set-sdk", quote, ttl),
                        () -> raw.set(ns + ":set-raw", mapper.writeValueAsString(quote), px)),
                new BenchOperation("mget_100",
                        () -> cache.mget(keys, Quote.class),
                        () -> {
                            Map<String, Quote> out = new LinkedHashMap<>(256);
                            for (KeyValue<String, String> kv : raw.mget(rawKeys)) {
                                if (kv.hasValue()) {
                                    out.put(kv.getKey(), mapper.readValue(kv.getValue(), Quote.class));
                                }
                            }
                        }, 1, 100),
                BenchOperation.of("rate_limit",
                        () -> limiter.tryAcquire("sdk"),
                        () -> raw.evalsha(sha, ScriptOutputType.MULTI, rlKey, limitArg, windowArg,
                                "raw:" + member.incrementAndGet())),
                new BenchOperation("price_update_100",
                        () -> {
                            long now = System.currentTimeMillis();
                            List<Price> batch = new ArrayList<>(100);
                            for (int i = 0; i < 100; i++) {
                                batch.add(new Price(symbols.get(i), base.add(BigDecimal.valueOf(i)),
                                        Instant.ofEpochMilli(now)));
                            }
                            prices.update(batch);
                        },
                        () -> {
                            long now = System.currentTimeMillis();
                            Map<String, String> fields = new LinkedHashMap<>(256);
                            for (int i = 0; i < 100; i++) {
                                fields.put(symbols.get(i), base.add(BigDecimal.valueOf(i)).toPlainString() + "|" + now);
                            }
                            raw.hset(rawPriceKey, fields);
                        }, 1, 100));
    }

    @Override
    public void close() {
        try {
            if (raw != null && !created.isEmpty()) {
                raw.del(created.toArray(String[]::new));
            }
        } finally {
            if (rawConnection != null) {
                rawConnection.close();
            }
            if (rawClient != null) {
                rawClient.shutdown();
            }
            if (rawResources != null) {
                rawResources.shutdown();
            }
            if (suho != null) {
                suho.close();
            }
        }
    }
}
