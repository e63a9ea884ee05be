package io.suho.client.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.cache.OrderBook.Side;
import io.suho.client.cache.internal.CacheModule;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Counters, key lifetimes, hashes, sorted sets, order books, locks and the application's ObjectMapper against a real
 * Redis-protocol server; each run uses its own namespace. Subclasses choose the server kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CacheStructuresContractIT {
    /** A value whose JSON shows which mapper wrote it. */
    record Account(String accountId, BigDecimal freeBalance) {
    }

    protected abstract StoreKind kind();

    SuhoClients suho;
    CacheClient cache;
    SimpleMeterRegistry registry;
    RedisClient rawClient;
    StatefulRedisConnection<String, String> rawConnection;
    RedisCommands<String, String> raw;
    String ns;

    @BeforeAll
    void start(TestInfo info) throws Exception {
        StoreServer server = RealStoreExtension.require(kind(), info.getDisplayName());
        registry = new SimpleMeterRegistry();
        ns = "its-" + UUID.randomUUID().toString().substring(0, 8);
        Path tmp = Files.createTempDirectory("cache-structures-it");
        suho = CacheTestSupport.clients(server, registry, tmp, b -> b.set(CacheModule.NAMESPACE, ns));
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

    Timer timer(String operation, String outcome) {
        return registry.find("suho.client.requests").tags("store", "cache", "operation", operation,
                "outcome", outcome).timer();
    }

    // --- counters ----------------------------------------------------------------------------------------------

    @Test
    void countersCountByNAndAreReadableAsLongs() {
        CacheCounters counters = cache.counters();
        String key = unique("seq");
        assertThat(counters.get(key)).isEmpty();
        assertThat(counters.increment(key)).isEqualTo(1);
        assertThat(counters.increment(key, 10)).isEqualTo(11);
        assertThat(counters.increment(key, -4)).isEqualTo(7);
        assertThat(counters.get(key)).hasValue(7);
        assertThat(cache.get(key, Long.class)).contains(7L);
        assertThat(raw.get(userKey(key))).isEqualTo("7");
        assertThat(raw.pttl(userKey(key))).as("no ttl asked, none set").isEqualTo(-1L);
        assertThat(timer("counters.increment", "success").count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void counterTtlIsSetOnCreationOnlyAndAtomically() throws Exception {
        CacheCounters counters = cache.counters();
        String key = unique("window");
        assertThat(counters.increment(key, 1, Duration.ofSeconds(60))).isEqualTo(1);
        long first = raw.pttl(userKey(key));
        assertThat(first).isBetween(1L, 60_000L);
        // a later increment with another ttl keeps the window's expiry
        assertThat(counters.increment(key, 1, Duration.ofHours(1))).isEqualTo(2);
        assertThat(raw.pttl(userKey(key))).isBetween(1L, first);

        // a counter created without ttl does not gain one from a later increment that asks for one
        String plain = unique("plain");
        counters.increment(plain, 5);
        counters.increment(plain, 1, Duration.ofSeconds(5));
        assertThat(raw.pttl(userKey(plain))).isEqualTo(-1L);

        assertThat(counters.incrementAsync(key, 3, Duration.ofSeconds(1)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void concurrentIncrementsAreNeitherLostNorDoubled() throws Exception {
        String key = unique("hits");
        int threads = 8;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        cache.counters().increment(key, 1, Duration.ofMinutes(1));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.counters().get(key)).hasValue((long) threads * perThread);
        assertThat(raw.pttl(userKey(key))).isBetween(1L, 60_000L);
    }

    @Test
    void aCounterOnANonIntegerIsAnErrorReplyAndChangesNothing() {
        String key = unique("text");
        cache.set(key, "not a number", null);
        assertThatThrownBy(() -> cache.counters().increment(key, 1, Duration.ofSeconds(5)))
                .isInstanceOf(StoreOperationException.class)
                .satisfies(e -> assertThat(((StoreOperationException) e).errorCode()).isEqualTo("ERR"));
        assertThatThrownBy(() -> cache.counters().get(key)).isInstanceOf(CacheValueException.class)
                .hasMessageContaining(key);
        assertThat(cache.get(key, String.class)).contains("not a number");
        assertThat(raw.pttl(userKey(key))).isEqualTo(-1L);
    }

    // --- ttl / expire --------------------------------------------------------------------------------------------

    @Test
    void ttlAndExpireReadAndChangeAKeysLifetime() {
        String key = unique("life");
        assertThat(cache.ttl(key)).as("missing key").isEmpty();
        assertThat(cache.expire(key, Duration.ofSeconds(5))).as("missing key").isFalse();
        assertThat(cache.expire(key, null)).as("missing key").isFalse();

        cache.set(key, "v", null);
        assertThat(cache.ttl(key)).as("no expiry").isEmpty();
        assertThat(cache.expire(key, Duration.ofSeconds(30))).isTrue();
        assertThat(cache.ttl(key)).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(25),
                Duration.ofSeconds(30)));
        assertThat(cache.expire(key, null)).as("persist").isTrue();
        assertThat(raw.pttl(userKey(key))).isEqualTo(-1L);
        assertThat(cache.expire(key, null)).as("persist again: still exists").isTrue();
        assertThatThrownBy(() -> cache.expire(key, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
    }

    // --- hashes --------------------------------------------------------------------------------------------------

    @Test
    void hashFieldsAreTypedJsonReadSingleOrBatched() {
        String key = unique("balances");
        CacheHash<BigDecimal> h = cache.hash(key, BigDecimal.class);
        assertThat(h.entries()).isEmpty();
        h.put("USD", new BigDecimal("100.50"));
        h.putAll(Map.of("EUR", new BigDecimal("20"), "BTC", new BigDecimal("0.00012345")));
        assertThat(h.get("USD")).contains(new BigDecimal("100.50"));
        assertThat(h.get("JPY")).isEmpty();
        assertThat(h.get(List.of("BTC", "JPY", "EUR"))).containsExactly(Map.entry("BTC", new BigDecimal("0.00012345")),
                Map.entry("EUR", new BigDecimal("20")));
        assertThat(h.entries()).hasSize(3);
        assertThat(h.size()).isEqualTo(3);
        assertThat(h.putIfAbsent("USD", BigDecimal.ONE)).isFalse();
        assertThat(h.putIfAbsent("JPY", BigDecimal.TEN)).isTrue();
        assertThat(h.remove("JPY", "GBP")).isEqualTo(1);
        assertThat(raw.hget(userKey(key), "USD")).isEqualTo("100.50");
        assertThat(cache.expire(key, Duration.ofMinutes(1))).isTrue();

        CacheHash<Long> qty = cache.hash(unique("qty"), Long.class);
        assertThat(qty.increment("open", 5)).isEqualTo(5);
        assertThat(qty.increment("open", -2)).isEqualTo(3);
        assertThat(qty.get("open")).contains(3L);

        CacheHash<Account> accounts = cache.hash(key, Account.class);
        assertThatThrownBy(() -> accounts.get("USD")).isInstanceOf(CacheValueException.class)
                .hasMessageContaining(key + "#USD");
        assertThat(timer("hash.put", "success")).isNotNull();
    }

    // --- sorted sets ---------------------------------------------------------------------------------------------

    @Test
    void sortedSetServesALeaderboard() {
        CacheSortedSet board = cache.sortedSet(unique("pnl"));
        board.addAll(Map.of("alice", 120.0, "bob", 80.0, "carol", 200.0, "dave", 10.0));
        assertThat(board.incrementScore("bob", 150.5)).isEqualTo(230.5);
        board.add("erin", 95.0);

        assertThat(board.top(3)).containsExactly(new ScoredMember("bob", 230.5), new ScoredMember("carol", 200.0),
                new ScoredMember("alice", 120.0));
        assertThat(board.bottom(1)).containsExactly(new ScoredMember("dave", 10.0));
        assertThat(board.rank("bob")).hasValue(0);
        assertThat(board.rank("dave")).hasValue(4);
        assertThat(board.rank("nobody")).isEmpty();
        assertThat(board.score("alice")).contains(120.0);
        assertThat(board.score("nobody")).isEmpty();
        assertThat(board.rangeByScore(90, 200, 10)).extracting(ScoredMember::member)
                .containsExactly("erin", "alice", "carol");
        assertThat(board.rangeByScore(0, 1000, 2)).extracting(ScoredMember::member).containsExactly("dave", "erin");
        assertThat(board.size()).isEqualTo(5);
        assertThat(board.keepTop(3)).isEqualTo(2);
        assertThat(board.top(10)).extracting(ScoredMember::member).containsExactly("bob", "carol", "alice");
        assertThat(board.remove("alice", "zed")).isEqualTo(1);
        assertThat(board.size()).isEqualTo(2);
        assertThatThrownBy(() -> board.top(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(timer("sortedSet.top", "success").count()).isGreaterThanOrEqualTo(2);
    }

    // --- order book ----------------------------------------------------------------------------------------------

    @Test
    void orderBookKeepsExactPriceLevelsInBookOrder() {
        OrderBook book = cache.orderBook(unique("BTC-USD"));
        assertThat(book.best(Side.BID)).isEmpty();
        Map<BigDecimal, BigDecimal> bids = new LinkedHashMap<>();
        bids.put(new BigDecimal("64210.50"), new BigDecimal("1.25"));
        bids.put(new BigDecimal("64210.49"), new BigDecimal("0.5"));
        bids.put(new BigDecimal("64100"), new BigDecimal("3"));
        book.update(Side.BID, bids);
        book.update(Side.ASK, Map.of(new BigDecimal("64211"), new BigDecimal("0.1"),
                new BigDecimal("64215.25"), new BigDecimal("2")));

        assertThat(book.top(Side.BID, 2)).containsExactly(
                new PriceLevel(new BigDecimal("64210.5"), new BigDecimal("1.25")),
                new PriceLevel(new BigDecimal("64210.49"), new BigDecimal("0.5")));
        assertThat(book.best(Side.ASK)).contains(new PriceLevel(new BigDecimal("64211"), new BigDecimal("0.1")));

        // a level is replaced whatever the scale it is written with; zero removes it
        book.set(Side.BID, new BigDecimal("64210.500"), new BigDecimal("2"));
        book.set(Side.BID, new BigDecimal("64210.49"), BigDecimal.ZERO);
        assertThat(book.top(Side.BID, 10)).containsExactly(
                new PriceLevel(new BigDecimal("64210.5"), new BigDecimal("2")),
                new PriceLevel(new BigDecimal("64100"), new BigDecimal("3")));

        assertThatThrownBy(() -> book.update(Side.ASK, Map.of(new BigDecimal("64300"), BigDecimal.ONE,
                new BigDecimal("64301"), new BigDecimal("-1")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThat(book.top(Side.ASK, 10)).as("nothing written by the refused update").hasSize(2);

        book.clear();
        assertThat(book.top(Side.BID, 10)).isEmpty();
        assertThat(book.top(Side.ASK, 10)).isEmpty();
    }

    // --- locks ---------------------------------------------------------------------------------------------------

    @Test
    void lockIsExclusiveAndReleaseChecksTheOwner() throws Exception {
        String name = unique("settle");
        CacheLock lock = cache.lock(name, Duration.ofSeconds(10));
        LockLease first = lock.tryAcquire().orElseThrow();
        assertThat(first.held()).isTrue();
        assertThat(lock.tryAcquire()).as("held by the first").isEmpty();
        assertThat(raw.get(ns + ":lock:" + name)).isEqualTo(first.owner() + " " + first.fencingToken());
        assertThat(raw.pttl(ns + ":lock:" + name)).isBetween(1L, 10_000L);

        assertThat(first.release()).isTrue();
        assertThat(first.held()).isFalse();
        assertThat(first.release()).as("already released").isFalse();

        LockLease second = lock.tryAcquire().orElseThrow();
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(second.owner()).isNotEqualTo(first.owner());
        first.close(); // a stale holder's release leaves the new holder alone
        assertThat(second.held()).isTrue();
        assertThat(second.extend(Duration.ofSeconds(40))).isTrue();
        assertThat(raw.pttl(ns + ":lock:" + name)).isBetween(30_000L, 40_000L);
        second.close();
        assertThat(raw.exists(ns + ":lock:" + name)).isZero();
        assertThat(second.extend(Duration.ofSeconds(1))).as("not held any more").isFalse();
    }

    @Test
    void anExpiredLeaseCannotReleaseTheNextHoldersLock() throws Exception {
        CacheLock lock = cache.lock(unique("short"), Duration.ofMillis(150));
        LockLease stale = lock.tryAcquire().orElseThrow();
        Optional<LockLease> next = lock.tryAcquire(Duration.ofSeconds(5)); // waits out the 150 ms lease
        assertThat(next).isPresent();
        assertThat(stale.held()).isFalse();
        assertThat(stale.release()).isFalse();
        assertThat(next.get().held()).isTrue();
        assertThat(next.get().fencingToken()).isGreaterThan(stale.fencingToken());
        next.get().close();
    }

    @Test
    void tryAcquireWithWaitGetsTheLockWhenTheHolderReleasesAndGivesUpAtTheDeadline() throws Exception {
        CacheLock lock = cache.lock(unique("wait"), Duration.ofSeconds(30));
        LockLease holder = lock.tryAcquire().orElseThrow();
        long start = System.nanoTime();
        assertThat(lock.tryAcquire(Duration.ofMillis(200))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<LockLease>> waiter = pool.submit(() -> lock.tryAcquire(Duration.ofSeconds(10)));
            // still waiting while the holder keeps the lock
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !waiter.isDone());
            holder.release();
            Optional<LockLease> got = waiter.get(10, TimeUnit.SECONDS);
            assertThat(got).isPresent();
            got.get().close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lockGivesMutualExclusionAcrossThreads() throws Exception {
        CacheLock lock = cache.lock(unique("mutex"), Duration.ofSeconds(10));
        String shared = ns + ":" + unique("unguarded");
        raw.set(shared, "0");
        int threads = 6;
        int rounds = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Long> worker = () -> {
                    long maxToken = 0;
                    for (int i = 0; i < rounds; i++) {
                        try (LockLease lease = lock.tryAcquire(Duration.ofSeconds(20)).orElseThrow()) {
                            assertThat(lease.fencingToken()).isGreaterThan(maxToken);
                            maxToken = lease.fencingToken();
                            // read-modify-write that loses updates without mutual exclusion
                            long v = Long.parseLong(cache.execute("rawGet", true, r -> r.get(shared)));
                            cache.execute("rawSet", false, r -> r.set(shared, Long.toString(v + 1)));
                        }
                    }
                    return maxToken;
                };
                results.add(pool.submit(worker));
            }
            for (Future<Long> f : results) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(raw.get(shared)).isEqualTo(Integer.toString(threads * rounds));
        assertThat(timer("lock.acquire", "success").count()).isGreaterThanOrEqualTo(threads * rounds);
        assertThat(timer("lock.release", "success").count()).isGreaterThanOrEqualTo(threads * rounds);
    }

    // --- the application's ObjectMapper --------------------------------------------------------------------------

    @Test
    void aUserSuppliedObjectMapperWritesAndReadsValues() {
        ObjectMapper snake = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        CacheClient mine = cache.withObjectMapper(snake);
        assertThat(mine.namespace()).isEqualTo(ns);
        String key = unique("acct");
        Account a = new Account("A-1", new BigDecimal("12.5"));
        mine.set(key, a, Duration.ofMinutes(1));
        assertThat(raw.get(userKey(key))).isEqualTo("{\"account_id\":\"A-1\",\"free_balance\":12.5}");
        assertThat(mine.get(key, Account.class)).contains(a);
        assertThat(cache.get(key, Account.class)).as("the SDK's mapper does not know snake case")
                .contains(new Account(null, null));

        CacheHash<Account> h = mine.hash(unique("accts"), Account.class);
        h.put("A-1", a);
        assertThat(raw.hget(userKey(h.key()), "A-1")).contains("free_balance");

        CacheClient other = mine.withNamespace(ns + "-other");
        other.set(key, a, Duration.ofMinutes(1));
        assertThat(raw.get(ns + "-other:k:" + key)).contains("account_id");
        raw.del(ns + "-other:k:" + key);
    }
}
