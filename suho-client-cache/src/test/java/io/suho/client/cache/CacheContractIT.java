package io.suho.client.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.suho.client.cache.internal.CacheModule;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The cache client's behaviour against a real Redis-protocol server. Subclasses choose the server kind (Redis from
 * the local stack, DragonflyDB when {@code SUHO_DRAGONFLY_URL} is set); each run uses its own namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CacheContractIT {
    /** A small typed value. */
    record Quote(String symbol, BigDecimal bid, BigDecimal ask, Instant time) {
    }

    /** A value Jackson cannot write (no properties). */
    static final class Opaque {
    }

    protected abstract StoreKind kind();

    StoreServer server;
    SuhoClients suho;
    CacheClient cache;
    SimpleMeterRegistry registry;
    RedisClient rawClient;
    StatefulRedisConnection<String, String> rawConnection;
    RedisCommands<String, String> raw;
    String ns;
    Path tmp;

    @BeforeAll
    void start(TestInfo info) throws Exception {
        server = RealStoreExtension.require(kind(), info.getDisplayName());
        registry = new SimpleMeterRegistry();
        ns = "it-" + UUID.randomUUID().toString().substring(0, 8);
        tmp = Files.createTempDirectory("cache-it");
        suho = CacheTestSupport.clients(server, registry, tmp, b -> b.set(CacheModule.NAMESPACE, ns)
                .set(CacheModule.PRICES_NOTIFY, "true"));
        cache = suho.get(CacheClient.class);
        rawClient = RedisClient.create();
        rawConnection = CacheTestSupport.raw(rawClient, server);
        raw = rawConnection.sync();
    }

    @AfterAll
    void stop() {
        CacheTestSupport.cleanUp(ns, rawClient, rawConnection, suho);
    }

    static String unique(String base) {
        return base + "-" + UUID.randomUUID();
    }

    /** The stored layout of a user key, written out so a change of layout fails these tests. */
    String userKey(String key) {
        return ns + ":k:" + key;
    }

    // --- typed values ----------------------------------------------------------------------------------------------

    @Test
    void storesAndReadsTypedJsonUnderTheNamespace() {
        Quote q = new Quote("BTC-USD", new BigDecimal("64210.50"), new BigDecimal("64211.00"),
                Instant.parse("2026-01-01T00:00:00Z"));
        String key = unique("quote");
        cache.set(key, q, Duration.ofMinutes(1));

        assertThat(cache.get(key, Quote.class)).contains(q);
        assertThat(raw.get(userKey(key))).contains("\"symbol\":\"BTC-USD\"");
        assertThat(cache.get(unique("missing"), Quote.class)).isEmpty();
        assertThat(cache.withNamespace("other-" + ns).get(key, Quote.class)).isEmpty();
    }

    @Test
    void readsGenericTypes() {
        String key = unique("list");
        cache.set(key, List.of(1, 2, 3), null);
        assertThat(cache.get(key, new TypeReference<List<Integer>>() { })).contains(List.of(1, 2, 3));
        assertThat(raw.pttl(userKey(key))).isEqualTo(-1L);
    }

    @Test
    void valueExpiresAfterItsTtl() {
        String key = unique("ttl");
        cache.set(key, "short-lived", Duration.ofMillis(300));
        assertThat(raw.pttl(userKey(key))).isBetween(1L, 300L);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
                .until(() -> cache.get(key, String.class).isEmpty());
    }

    @Test
    void setIfAbsentOnlyWritesOnce() {
        String key = unique("nx");
        assertThat(cache.setIfAbsent(key, "first", Duration.ofMinutes(1))).isTrue();
        assertThat(cache.setIfAbsent(key, "second", Duration.ofMinutes(1))).isFalse();
        assertThat(cache.get(key, String.class)).contains("first");
    }

    @Test
    void msetAndMgetInOneRoundTrip() {
        Map<String, Quote> values = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            values.put(unique("m" + i), new Quote("S" + i, BigDecimal.valueOf(i), BigDecimal.valueOf(i + 1),
                    Instant.ofEpochMilli(i)));
        }
        cache.mset(values, null);
        List<String> ask = new ArrayList<>(values.keySet());
        ask.add(unique("absent"));
        Map<String, Quote> got = cache.mget(ask, Quote.class);
        assertThat(got).isEqualTo(values);

        Map<String, Integer> expiring = Map.of(unique("e1"), 1, unique("e2"), 2);
        cache.mset(expiring, Duration.ofMillis(400));
        assertThat(cache.mget(expiring.keySet(), Integer.class)).isEqualTo(expiring);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
                .until(() -> cache.mget(expiring.keySet(), Integer.class).isEmpty());
    }

    @Test
    void deletesKeys() {
        String a = unique("d");
        String b = unique("d");
        cache.set(a, 1, null);
        cache.set(b, 2, null);
        assertThat(cache.delete(a)).isTrue();
        assertThat(cache.delete(a)).isFalse();
        assertThat(cache.delete(List.of(a, b, unique("none")))).isEqualTo(1);
        assertThat(cache.get(b, Integer.class)).isEmpty();
    }

    @Test
    void asyncFormsGiveTheSameResults() throws Exception {
        String key = unique("async");
        cache.setAsync(key, new Quote("ETH", BigDecimal.ONE, BigDecimal.TEN, Instant.EPOCH), Duration.ofMinutes(1))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(cache.getAsync(key, Quote.class).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .map(Quote::symbol).contains("ETH");
        cache.msetAsync(Map.of(key + "-2", 2), Duration.ofMinutes(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(cache.mgetAsync(List.of(key + "-2"), Integer.class).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .containsEntry(key + "-2", 2);
        assertThat(cache.deleteAsync(key).toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cache.getAsync(key, Quote.class).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
    }

    // --- bad input -------------------------------------------------------------------------------------------------

    @Test
    void unserialisableValueIsRefusedAndNothingIsWritten() {
        String key = unique("opaque");
        assertThatThrownBy(() -> cache.set(key, new Opaque(), null))
                .isInstanceOf(CacheValueException.class)
                .hasMessageContaining(key).hasMessageContaining(Opaque.class.getName());
        assertThatThrownBy(() -> cache.mset(Map.of(key, 1, key + "-2", new Opaque()), null))
                .isInstanceOf(CacheValueException.class);
        assertThat(raw.exists(userKey(key), userKey(key + "-2"))).isZero();
    }

    @Test
    void unreadableValueNamesKeyAndType() {
        String key = unique("garbage");
        raw.set(userKey(key), "not json {");
        assertThatThrownBy(() -> cache.get(key, Quote.class))
                .isInstanceOf(CacheValueException.class)
                .hasMessageContaining(key).hasMessageContaining("Quote")
                .satisfies(e -> assertThat(((CacheValueException) e).key()).isEqualTo(key));
    }

    @Test
    void invalidKeysAreRejectedNamingTheOperation() {
        assertThatThrownBy(() -> cache.get("", String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("get").hasMessageContaining("empty");
        assertThatThrownBy(() -> cache.set(null, "x", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set");
        assertThatThrownBy(() -> cache.set("k".repeat(1025), "x", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1025").hasMessageContaining("suho.cache.key.max-length");
        assertThatThrownBy(() -> cache.set("k", "x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
    }

    @Test
    void serverErrorReplyIsACallerErrorWithItsCode() {
        String key = unique("hash");
        raw.hset(userKey(key), "f", "v");
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> cache.get(key, String.class)).isInstanceOf(StoreOperationException.class)
                    .satisfies(e -> assertThat(((StoreOperationException) e).errorCode()).isEqualTo("WRONGTYPE"));
        }
        assertThat(suho.breakerStates().get(Store.CACHE)).isEqualTo("CLOSED");
    }

    // --- read-through ----------------------------------------------------------------------------------------------

    @Test
    void getOrLoadRunsTheLoaderOnceFor32ConcurrentCallers() throws Exception {
        String key = unique("flight");
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return cache.getOrLoad(key, String.class, Duration.ofMinutes(1), () -> {
                        loads.incrementAndGet();
                        return "loaded";
                    });
                }));
            }
            go.countDown();
            for (Future<String> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("loaded");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.get(key, String.class)).contains("loaded");
        assertThat(cache.getOrLoad(key, String.class, Duration.ofMinutes(1), () -> "again")).isEqualTo("loaded");
    }

    @Test
    void getOrLoadAsyncIsSingleFlightToo() throws Exception {
        String key = unique("flight-async");
        AtomicInteger loads = new AtomicInteger();
        java.util.concurrent.CompletableFuture<Integer> gate = new java.util.concurrent.CompletableFuture<>();
        List<java.util.concurrent.CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            all.add(cache.getOrLoadAsync(key, Integer.class, Duration.ofMinutes(1), () -> {
                loads.incrementAndGet();
                return gate;
            }).toCompletableFuture());
        }
        gate.complete(42);
        for (var f : all) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.get(key, Integer.class)).contains(42);
    }

    @Test
    void nullFromTheLoaderIsNotCached() {
        String key = unique("null");
        assertThat(cache.getOrLoad(key, String.class, Duration.ofMinutes(1), () -> null)).isNull();
        assertThat(raw.exists(userKey(key))).isZero();
    }

    // --- sessions --------------------------------------------------------------------------------------------------

    @Test
    void sessionLifecycle() {
        SessionStore sessions = cache.sessions().withTtl(Duration.ofMinutes(5));
        String user = unique("user");
        Session s = sessions.create(user, Map.of("ip", "10.0.0.1", "device", "phone"));
        assertThat(s.id()).hasSizeGreaterThanOrEqualTo(43);

        Session read = sessions.get(s.id()).orElseThrow();
        assertThat(read.userId()).isEqualTo(user);
        assertThat(read.attributes()).containsEntry("ip", "10.0.0.1").containsEntry("device", "phone");
        assertThat(read.createdAt()).isEqualTo(s.createdAt());

        assertThat(sessions.revoke(s.id())).isTrue();
        assertThat(sessions.get(s.id())).isEmpty();
        assertThat(sessions.revoke(s.id())).isFalse();
        assertThat(sessions.touch(s.id())).isFalse();
        assertThat(raw.smembers(ns + ":session-user:" + user)).doesNotContain(s.id());
    }

    @Test
    void aUserKeySpelledLikeASessionCannotReadOrDeleteTheSession() {
        Session s = cache.sessions().create(unique("user"), Map.of());
        String spelledLikeIt = "session:" + s.id();
        assertThat(cache.get(spelledLikeIt, Object.class)).as("no user read of the session hash").isEmpty();
        cache.delete(spelledLikeIt);
        cache.set(spelledLikeIt, "mine", Duration.ofMinutes(1));
        assertThat(cache.sessions().get(s.id())).as("the session survives a user delete/set of that name")
                .isPresent();
        assertThat(raw.type(ns + ":session:" + s.id())).isEqualTo("hash");
        assertThat(raw.get(userKey(spelledLikeIt))).isEqualTo("\"mine\"");
        cache.sessions().revoke(s.id());
    }

    @Test
    void touchSlidesTheSessionTtl() {
        SessionStore sessions = cache.sessions().withTtl(Duration.ofMillis(1500));
        Session s = sessions.create(unique("user"), Map.of());
        String key = ns + ":session:" + s.id();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> raw.pttl(key) < 1000);
        assertThat(sessions.touch(s.id())).isTrue();
        assertThat(raw.pttl(key)).isGreaterThan(1000L);
        assertThat(sessions.get(s.id()).orElseThrow().lastSeen()).isAfterOrEqualTo(s.lastSeen());
        // without touches it expires
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> sessions.get(s.id()).isEmpty());
    }

    @Test
    void revokeAllEndsEverySessionOfTheUser() {
        SessionStore sessions = cache.sessions();
        String user = unique("user");
        List<Session> mine = List.of(sessions.create(user, Map.of()), sessions.create(user, Map.of()),
                sessions.create(user, Map.of()));
        Session other = sessions.create(unique("someone-else"), Map.of());
        assertThat(sessions.revokeAll(user)).isEqualTo(3);
        for (Session s : mine) {
            assertThat(sessions.get(s.id())).isEmpty();
        }
        assertThat(sessions.get(other.id())).isPresent();
        assertThat(sessions.revokeAll(user)).isZero();
    }

    @Test
    void sessionStoreIsAlsoAClientType() {
        SessionStore fromSuho = suho.get(SessionStore.class);
        Session s = fromSuho.create(unique("u"), Map.of());
        assertThat(cache.sessions().get(s.id())).isPresent();
    }

    // --- prices ----------------------------------------------------------------------------------------------------

    @Test
    void priceBatchUpdateAndMultiRead() {
        PriceCache prices = cache.withNamespace(ns + "-p1").prices();
        List<Price> batch = new ArrayList<>();
        Instant t = Instant.ofEpochMilli(1_767_225_600_000L);
        for (int i = 0; i < 100; i++) {
            batch.add(new Price("SYM" + i, new BigDecimal("100.25").add(BigDecimal.valueOf(i)), t));
        }
        prices.update(batch);
        assertThat(prices.get("SYM7")).contains(batch.get(7));
        Map<String, Price> some = prices.get(List.of("SYM1", "SYM99", "NOPE"));
        assertThat(some).containsOnlyKeys("SYM1", "SYM99");
        assertThat(some.get("SYM99").price()).isEqualByComparingTo("199.25");
        assertThat(prices.all()).hasSize(100);
        prices.update(new Price("SYM1", BigDecimal.ONE, t.plusSeconds(1)));
        assertThat(prices.get("SYM1").orElseThrow().price()).isEqualByComparingTo("1");
        assertThatThrownBy(() -> prices.update(new Price("bad symbol", BigDecimal.ONE, t)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad symbol");
        raw.del(ns + "-p1:prices");
    }

    @Test
    void priceUpdatesArePublishedToSubscribers() {
        PriceCache prices = cache.withNamespace(ns + "-p2").prices();
        List<Price> received = new CopyOnWriteArrayList<>();
        PriceCache.Subscription sub = prices.subscribe(received::addAll);
        try {
            Price p = new Price("ETH-USD", new BigDecimal("3100.5"), Instant.ofEpochMilli(1_767_225_600_123L));
            prices.update(List.of(p, new Price("BTC-USD", new BigDecimal("64000"), p.time())));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> received.size() >= 2);
            assertThat(received).contains(p);
        } finally {
            sub.close();
        }
        raw.del(ns + "-p2:prices");
    }

    // --- rate limiter ----------------------------------------------------------------------------------------------

    @Test
    void rateLimiterAllowsExactlyTheLimitUnderConcurrency() throws Exception {
        RateLimiter limiter = cache.rateLimiter("orders", 25, Duration.ofMinutes(1));
        String key = unique("client");
        int attempts = 200;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<RateLimit>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return limiter.tryAcquire(key);
                }));
            }
            go.countDown();
            int allowed = 0;
            List<Long> remaining = new ArrayList<>();
            for (Future<RateLimit> f : results) {
                RateLimit r = f.get(30, TimeUnit.SECONDS);
                if (r.allowed()) {
                    allowed++;
                    remaining.add(r.remaining());
                    assertThat(r.retryAfter()).isZero();
                } else {
                    assertThat(r.remaining()).isZero();
                    assertThat(r.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
                }
            }
            assertThat(allowed).isEqualTo(25);
            assertThat(remaining).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.LongStream.range(0, 25).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.rateLimiter("orders", 25, Duration.ofMinutes(1)).tryAcquire(unique("other")).allowed())
                .isTrue();
    }

    @Test
    void rateLimiterWindowSlides() throws Exception {
        RateLimiter limiter = cache.rateLimiter("slide", 2, Duration.ofMillis(400));
        String key = unique("k");
        assertThat(limiter.tryAcquire(key).remaining()).isEqualTo(1);
        assertThat(limiter.tryAcquireAsync(key).toCompletableFuture().get(5, TimeUnit.SECONDS).allowed()).isTrue();
        RateLimit refused = limiter.tryAcquire(key);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(400));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> limiter.tryAcquire(key).allowed());
    }

    @Test
    void scriptsRecoverFromNoscriptAfterScriptFlush() throws Exception {
        RateLimiter limiter = cache.rateLimiter("flush", 100, Duration.ofMinutes(1));
        String key = unique("k");
        assertThat(limiter.tryAcquire(key).allowed()).isTrue();
        raw.scriptFlush();
        assertThat(limiter.tryAcquire(key).remaining()).isEqualTo(98);
        raw.scriptFlush();
        assertThat(limiter.tryAcquireAsync(key).toCompletableFuture().get(5, TimeUnit.SECONDS).remaining())
                .isEqualTo(97);
        raw.scriptFlush();
        Session s = cache.sessions().create(unique("u"), Map.of("a", "b"));
        raw.scriptFlush();
        assertThat(cache.sessions().touch(s.id())).isTrue();
    }

    // --- native calls (escape hatch) -------------------------------------------------------------------------------

    @Test
    void executeRunsNativeCommandsOnRawKeysAndCountsThemUnderTheGivenOperation() {
        String counter = ns + ":" + unique("seq"); // raw keys: the namespace is the caller's to add
        long first = cache.execute("incr", false, redis -> redis.incr(counter));
        long second = cache.execute("incr", false, redis -> redis.incr(counter));
        boolean expiring = cache.execute("expire", true, redis -> redis.expire(counter, Duration.ofMinutes(1)));
        assertThat(List.of(first, second)).containsExactly(1L, 2L);
        assertThat(expiring).isTrue();
        assertThat(raw.pttl(counter)).isBetween(1L, 60_000L);

        String hash = ns + ":" + unique("hash");
        long fields = cache.execute("hset", true, redis -> redis.hset(hash, Map.of("a", "1", "b", "2")));
        assertThat(fields).isEqualTo(2L);
        assertThat(raw.hgetall(hash)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));

        String key = unique("sdk-key");
        cache.set(key, List.of(1, 2), null);
        String unprefixed = cache.execute("rawGet", true, redis -> redis.get(key));
        assertThat(cache.storedKey(key)).isEqualTo(ns + ":k:" + key);
        String prefixed = cache.execute("rawGet", true, redis -> redis.get(cache.storedKey(key)));
        assertThat(unprefixed).as("native calls are not namespaced").isNull();
        assertThat(prefixed).isEqualTo("[1,2]");

        Timer incr = registry.find("suho.client.requests").tags("store", "cache", "operation", "incr",
                "outcome", "success").timer();
        assertThat(incr).isNotNull();
        assertThat(incr.count()).isEqualTo(2);
        assertThat(registry.find("suho.client.requests").tags("store", "cache", "operation", "hset",
                "outcome", "success").timer().count()).isEqualTo(1);
    }

    @Test
    void executeMapsErrorRepliesAndPassesTheCallersOwnExceptionsThrough() {
        String text = ns + ":" + unique("text");
        raw.set(text, "not a hash");
        assertThatThrownBy(() -> cache.execute("hset", false, redis -> redis.hset(text, "f", "v")))
                .isInstanceOf(StoreOperationException.class).hasMessageStartingWith("cache hset failed [WRONGTYPE]")
                .satisfies(e -> assertThat(((StoreOperationException) e).operation()).isEqualTo("hset"));
        IllegalStateException mine = new IllegalStateException("the caller's own");
        assertThatThrownBy(() -> cache.execute("mine", true, redis -> {
            throw mine;
        })).isSameAs(mine);
        assertThat(suho.breakerStates().get(Store.CACHE)).isEqualTo("CLOSED");
    }

    /**
     * A client with a short timeout whose one connection is held by a native BLPOP for two seconds: every command
     * queued behind it gets no answer in time — a real timeout, without pausing the server others use.
     */
    private SuhoClients blockedClient(boolean fallbackToLoader) {
        SuhoClients slow = CacheTestSupport.clients(server, new SimpleMeterRegistry(), tmp, b -> b
                .set(CacheModule.NAMESPACE, ns).set(CacheModule.FALLBACK_TO_LOADER, Boolean.toString(fallbackToLoader))
                .resilience(Store.CACHE, ResilienceConfig.builder().timeout(Duration.ofMillis(200)).build()));
        CacheClient c = slow.get(CacheClient.class);
        String nothing = ns + ":" + unique("empty-list");
        assertThatThrownBy(() -> c.execute("blpop", false, redis -> redis.blpop(2L, nothing)))
                .isInstanceOf(StoreTimeoutException.class)
                .hasMessageStartingWith("cache blpop got no answer within 200ms (outcome unknown)")
                .satisfies(e -> {
                    StoreTimeoutException t = (StoreTimeoutException) e;
                    assertThat(t.store()).isEqualTo(Store.CACHE);
                    assertThat(t.operation()).isEqualTo("blpop");
                    assertThat(t.timeout()).isEqualTo(Duration.ofMillis(200));
                    assertThat(t.serverReported()).isFalse();
                });
        return slow;
    }

    @Test
    void aCommandWithoutAnswerIsAStoreTimeoutExceptionNotUnavailable() {
        try (SuhoClients slow = blockedClient(false)) {
            AtomicInteger loads = new AtomicInteger();
            assertThatThrownBy(() -> slow.get(CacheClient.class).getOrLoad(unique("strict"), String.class,
                    Duration.ofMinutes(1), () -> "loaded-" + loads.incrementAndGet()))
                    .isInstanceOf(StoreTimeoutException.class).hasMessageContaining("cache getOrLoad got no answer");
            assertThat(loads).hasValue(0);
        }
    }

    @Test
    void getOrLoadFallsBackToTheLoaderWhenTheReadTimesOut() {
        String key = unique("timed-out-read");
        try (SuhoClients slow = blockedClient(true)) {
            CacheClient c = slow.get(CacheClient.class);
            assertThat(c.getOrLoad(key, String.class, Duration.ofMinutes(1), () -> "from-loader"))
                    .isEqualTo("from-loader");
            // once the BLPOP is over the connection serves again; the value loaded during the timeout was not cached
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> c.get(key, String.class).isEmpty());
        }
        assertThat(raw.exists(userKey(key))).isZero();
    }

    // --- health and metrics ----------------------------------------------------------------------------------------

    @Test
    void healthShowsServerDetail() {
        StoreHealth h = suho.health(Store.CACHE);
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.detail()).containsKeys("version", "role", "usedMemory", "connected", "namespace")
                .containsEntry("connected", true).containsEntry("namespace", ns);
        assertThat(h.detail().toString()).doesNotContain(server.password() == null ? "\u0000" : server.password());
    }

    @Test
    void recordsSdkAndLettuceCommandTimers() {
        String key = unique("metered");
        cache.set(key, 1, null);
        cache.get(key, Integer.class);
        Timer sdkGets = registry.find("suho.client.requests").tags("store", "cache", "operation", "get",
                "outcome", "success").timer();
        assertThat(sdkGets).isNotNull();
        assertThat(sdkGets.count()).isGreaterThanOrEqualTo(1);
        Timer lettuceGets = registry.find("lettuce.command.completion").tag("command", "GET").timer();
        assertThat(lettuceGets).isNotNull();
        assertThat(lettuceGets.count()).isGreaterThanOrEqualTo(1);
        long before = sdkGets.count();
        cache.get(key, Integer.class);
        assertThat(sdkGets.count()).isEqualTo(before + 1);
    }

    /**
     * Absence is an empty Optional — for a missing key, an expired one and a key without a TTL — never null, and a
     * present value is never reported absent (the same key read before it existed, while it does, and after delete).
     */
    @Test
    void optionalReturnsAreNeverNull() throws Exception {
        String key = unique("optional");
        assertThat(cache.get(key, String.class)).isNotNull().isEmpty();
        assertThat(cache.get(key, new TypeReference<List<Integer>>() { })).isNotNull().isEmpty();
        assertThat(cache.getAsync(key, String.class).toCompletableFuture().get()).isNotNull().isEmpty();
        assertThat(cache.ttl(key)).isNotNull().isEmpty();

        cache.set(key, "here", null);
        assertThat(cache.get(key, String.class)).contains("here");
        assertThat(cache.getAsync(key, String.class).toCompletableFuture().get()).contains("here");
        assertThat(cache.ttl(key)).as("a key set without a TTL has none").isNotNull().isEmpty();

        String expiring = unique("optional-ttl");
        cache.set(expiring, List.of(1, 2), Duration.ofMinutes(1));
        assertThat(cache.get(expiring, new TypeReference<List<Integer>>() { })).contains(List.of(1, 2));
        assertThat(cache.ttl(expiring)).hasValueSatisfying(t -> assertThat(t).isBetween(Duration.ofSeconds(1),
                Duration.ofMinutes(1)));

        cache.delete(key);
        assertThat(cache.get(key, String.class)).isNotNull().isEmpty();
        raw.set(userKey(expiring), "[3]", io.lettuce.core.SetArgs.Builder.px(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(expiring, String.class).isEmpty());
        assertThat(cache.ttl(expiring)).isNotNull().isEmpty();
    }
}
