package io.suho.client.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import io.suho.client.core.NativeCall;
import io.suho.client.core.ResilienceConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The application cache on DragonflyDB (Redis protocol): typed JSON values under a per-service key namespace, with
 * read-through loading, batch reads and writes, key lifetimes ({@link #ttl}, {@link #expire}), and the structures
 * and helpers built on the same connection: {@link #counters()}, {@link #hash}, {@link #sortedSet},
 * {@link #orderBook}, {@link #lock}, {@link #sessions()}, {@link #prices()}, {@link #rateLimiter}. Get it with {@code suho.get(CacheClient.class)}.
 *
 * <p>Every key is stored as {@code <namespace>:<key>}; the namespace defaults to the service name
 * ({@code suho.cache.namespace}), and {@link #withNamespace} gives a view on another one (for data several services
 * share, such as sessions). Values are JSON written and read with Jackson; a value that cannot be serialised is
 * refused with a {@link CacheValueException} before anything is written, and a stored value that cannot be read as
 * the requested type fails the same way. Keys must be non-empty and at most {@code suho.cache.key.max-length}
 * characters.
 *
 * <p>Every call runs through the store's circuit breaker and timer; reads are retried on connection failures,
 * writes are not. When the store is down, calls fail with
 * {@link io.suho.client.core.StoreUnavailableException} (not sent) — immediately once the breaker is open. A command
 * that got no answer within {@code suho.cache.timeout}, or whose connection dropped while it was on the wire, fails
 * with {@link io.suho.client.core.StoreTimeoutException}: it may have been executed. An error reply from the server
 * is a {@link io.suho.client.core.StoreOperationException} with the reply's prefix ({@code WRONGTYPE}, …) as its
 * code. Async forms return a {@link CompletionStage} that completes with the same results and exceptions. Commands the
 * SDK does not wrap run through {@link #execute}. Thread-safe; one instance serves the whole application over one
 * multiplexed connection.
 */
public interface CacheClient {

    /**
     * The resilience settings the cache starts from when they come from keys. They differ from the SDK's
     * {@link ResilienceConfig#defaults()} in two places: a 500 ms timeout (a Redis-protocol command takes well under a
     * millisecond, so a hung server is given up on twice as fast) and a 100 ms breaker delay (a trial call while
     * disconnected is rejected by the driver without network I/O, so trying more often costs nothing and recovery is
     * seen sooner). Keys {@code suho.cache.timeout} / {@code suho.cache.breaker.delay} still override them; a
     * {@code ResilienceConfig} given to the builder for {@code Store.CACHE} replaces them, so start it from
     * {@code CacheClient.defaultResilience().toBuilder()} to keep them.
     */
    static ResilienceConfig defaultResilience() {
        return ResilienceConfig.defaults().toBuilder()
                .timeout(Duration.ofMillis(500))
                .breakerDelay(Duration.ofMillis(100))
                .build();
    }

    /** The namespace every key of this view is prefixed with. */
    String namespace();

    /**
     * The Redis key an SDK call stores {@code key} under: {@code <namespace>:k:<key>}. User keys have their own
     * sub-namespace ({@code k}) so that no key, whoever chose it, can name a session, a lock, a rate limit, the prices
     * or an order book of the same namespace. Use it to reach an SDK key from {@link #execute native commands}.
     *
     * @throws IllegalArgumentException an empty key or one longer than {@code suho.cache.key.max-length}
     */
    String storedKey(String key);

    /** A view of the same connection under another namespace (e.g. {@code "shared"}). */
    CacheClient withNamespace(String namespace);

    /**
     * A view of this namespace whose JSON values are written and read with {@code mapper} instead of the SDK's own
     * (Jackson with the Java-time module, ISO dates, unknown properties tolerated). The mapper is used as given, not
     * copied or changed: register the modules and features your values need, and do not reconfigure it afterwards.
     * It applies to {@link #get}, {@link #set}, {@link #getOrLoad}, {@link #mget}, {@link #mset}, their async forms,
     * {@link #hash} values and views taken from the returned one ({@link #withNamespace}); counters, sorted sets,
     * order books, locks, sessions and prices are not JSON. Configure it once and keep the view:
     *
     * <pre>{@code
     * CacheClient cache = suho.get(CacheClient.class).withObjectMapper(applicationMapper);
     * }</pre>
     */
    CacheClient withObjectMapper(ObjectMapper mapper);

    /** The value stored under {@code key} read as {@code type}, or empty when the key does not exist. */
    <T> Optional<T> get(String key, Class<T> type);

    /** The value stored under {@code key} read as a generic type ({@code new TypeReference<List<Quote>>() {}}). */
    <T> Optional<T> get(String key, TypeReference<T> type);

    /**
     * Stores {@code value} as JSON under {@code key}.
     *
     * @param ttl how long the value lives; {@code null} for no expiry
     */
    void set(String key, Object value, @Nullable Duration ttl);

    /** Stores {@code value} only when {@code key} does not exist yet; true when it was stored. */
    boolean setIfAbsent(String key, Object value, @Nullable Duration ttl);

    /**
     * The cached value, or the loader's result stored for {@code ttl}. Within this process only one loader runs per
     * key at a time: concurrent callers for the same missing key wait for it and share its result (no stampede). A
     * {@code null} result is returned but not cached. With {@code suho.cache.fallback-to-loader=true} a store outage
     * (not sent, or a read that timed out) does not fail the call: the loader's result is returned without caching.
     * Caching the loaded value is best effort: if that write fails on an outage or a timeout the value is still
     * returned.
     */
    <T> T getOrLoad(String key, Class<T> type, Duration ttl, Supplier<? extends T> loader);

    /** The values of the keys that exist, read in one round trip, keyed by the given (un-prefixed) keys. */
    <T> Map<String, T> mget(Collection<String> keys, Class<T> type);

    /**
     * Stores every entry. Without a ttl one atomic {@code MSET}; with a ttl one {@code SET … PX} per key, pipelined
     * (one round trip, not atomic).
     */
    void mset(Map<String, ?> values, @Nullable Duration ttl);

    /** Deletes a key; true when it existed. */
    boolean delete(String key);

    /** Deletes keys in one command; how many existed. */
    long delete(Collection<String> keys);

    /**
     * The remaining lifetime of a key ({@code PTTL}), or empty when the key does not exist or has no expiry. Works on
     * every key of the namespace (values, counters, hashes, sorted sets). Retried after a connection failure.
     */
    Optional<Duration> ttl(String key);

    /**
     * Gives an existing key a new lifetime ({@code PEXPIRE}), or removes its expiry when {@code ttl} is {@code null}
     * ({@code PERSIST}); true when the key exists. Retried after a connection failure (setting the same expiry
     * twice is harmless).
     */
    boolean expire(String key, @Nullable Duration ttl);

    /** {@link #get(String, Class)} without blocking. */
    <T> CompletionStage<Optional<T>> getAsync(String key, Class<T> type);

    /** {@link #set} without blocking. */
    CompletionStage<Void> setAsync(String key, Object value, @Nullable Duration ttl);

    /** {@link #getOrLoad} without blocking; the loader returns a stage. Single-flight per key as well. */
    <T> CompletionStage<T> getOrLoadAsync(String key, Class<T> type, Duration ttl,
            Supplier<? extends CompletionStage<? extends T>> loader);

    /** {@link #mget} without blocking. */
    <T> CompletionStage<Map<String, T>> mgetAsync(Collection<String> keys, Class<T> type);

    /** {@link #mset} without blocking. */
    CompletionStage<Void> msetAsync(Map<String, ?> values, @Nullable Duration ttl);

    /** {@link #delete(String)} without blocking. */
    CompletionStage<Boolean> deleteAsync(String key);

    /** User sessions in this namespace, with the configured sliding TTL ({@code suho.cache.session.ttl}). */
    SessionStore sessions();

    /** Latest prices per symbol in this namespace. */
    PriceCache prices();

    /** Atomic integer counters in this namespace ({@code INCRBY}, with a TTL set when a counter is created). */
    CacheCounters counters();

    /** The hash {@code <namespace>:<key>} with values of {@code valueType} (JSON, through this view's mapper). */
    <V> CacheHash<V> hash(String key, Class<V> valueType);

    /** The sorted set {@code <namespace>:<key>} (leaderboards, ranges by score). */
    CacheSortedSet sortedSet(String key);

    /** The aggregated price levels of {@code symbol}'s order book in this namespace. */
    OrderBook orderBook(String symbol);

    /**
     * A named lock with owner-checked release and fencing tokens, held for {@code lease} per acquisition unless
     * extended or released.
     *
     * @param lease at least 1 ms; pick it well above the work's expected duration and extend for long work
     */
    CacheLock lock(String name, Duration lease);

    /**
     * Runs {@code call} with the SDK's own Lettuce connection, for commands the SDK does not wrap (sets, streams,
     * {@code HSCAN}, bit fields, …), through the cache's circuit breaker, retries (only when {@code idempotent}), the
     * {@code suho.client.requests} timer under {@code operation}, and the same failure mapping as every other call:
     *
     * <pre>{@code
     * long next = cache.execute("incr", false, redis -> redis.incr("orders:seq"));
     * cache.execute("expire", true, redis -> redis.expire("orders:seq", Duration.ofHours(1)));
     * }</pre>
     *
     * <p>The handle is the shared, multiplexed connection's synchronous API, with the store timeout as its command
     * timeout. Native commands see <b>raw keys</b>: no namespace is added (write {@link #storedKey storedKey(key)} to
     * reach an SDK key) and values are plain strings, not the SDK's JSON. Because the connection is shared: no
     * blocking commands ({@code BLPOP}, {@code XREAD BLOCK}, …) — they hold up every caller and time out —, no
     * {@code MULTI}/{@code EXEC} (other callers' commands would interleave), and nothing that changes the connection
     * ({@code SELECT}, {@code AUTH}, {@code CLIENT}, {@code QUIT}). Never keep the handle beyond the call.
     *
     * @param operation a fixed name for metrics and messages (e.g. {@code "incr"}), never a key
     * @param idempotent true when running the call twice is harmless (a read, {@code EXPIRE}, {@code HSET} of the
     *        same value); only then is it retried after a connection failure
     * @throws io.suho.client.core.StoreUnavailableException not sent (breaker open, not connected, refused); the
     *         call was not run when the breaker is open
     * @throws io.suho.client.core.StoreTimeoutException no answer within the timeout, or the connection dropped
     *         mid-command: the command may have been executed
     * @throws io.suho.client.core.StoreOperationException an error reply ({@code errorCode()} = its prefix)
     */
    <R> R execute(String operation, boolean idempotent, NativeCall<RedisCommands<String, String>, R> call);

    /**
     * A sliding-window rate limiter: at most {@code limit} acquisitions per key within any {@code window}, decided
     * atomically on the server (so it holds across every instance of the service).
     *
     * @param name names the limiter in keys ({@code <namespace>:ratelimit:<name>:<key>})
     */
    RateLimiter rateLimiter(String name, int limit, Duration window);
}
