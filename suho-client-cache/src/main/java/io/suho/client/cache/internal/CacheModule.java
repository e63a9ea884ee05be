package io.suho.client.cache.internal;

import io.suho.client.cache.CacheClient;
import io.suho.client.cache.PriceCache;
import io.suho.client.cache.SessionStore;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import java.util.List;
import java.util.Set;

/**
 * The cache store module (DragonflyDB, or any Redis-protocol server): registered through
 * {@link java.util.ServiceLoader}, it starts one Lettuce client, shared client resources and one multiplexed
 * connection per {@code SuhoClients}, and serves {@link CacheClient}, {@link SessionStore} and {@link PriceCache}.
 * The keys it reads beyond the common {@code suho.cache.*} ones are the constants below. Stateless: everything it
 * starts belongs to the returned {@link StartedStore}.
 */
public final class CacheModule implements StoreModule {

    /** Key namespace (prefix) of this service's cache keys; default the service name. */
    public static final String NAMESPACE = "suho.cache.namespace";
    /** Logical database index. */
    public static final String DATABASE = "suho.cache.database";
    /** Longest accepted key (characters, without namespace). */
    public static final String KEY_MAX_LENGTH = "suho.cache.key.max-length";
    /** Whether getOrLoad falls through to the loader when the store is unavailable. */
    public static final String FALLBACK_TO_LOADER = "suho.cache.fallback-to-loader";
    /** Upper bound of the reconnect backoff. */
    public static final String RECONNECT_MAX_DELAY = "suho.cache.reconnect.max-delay";
    /** TCP connect timeout. */
    public static final String CONNECT_TIMEOUT = "suho.cache.connect-timeout";
    /** Verify the server certificate when TLS is on. */
    public static final String TLS_VERIFY_PEER = "suho.cache.tls.verify-peer";
    /** Sliding TTL of sessions. */
    public static final String SESSION_TTL = "suho.cache.session.ttl";
    /** Publish a notification on each price update. */
    public static final String PRICES_NOTIFY = "suho.cache.prices.notify";
    /** Record Lettuce's per-command latency timers in the meter registry. */
    public static final String COMMAND_LATENCY_METRICS = "suho.cache.metrics.command-latency";

    @Override
    public Store store() {
        return Store.CACHE;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(CacheClient.class, SessionStore.class, PriceCache.class);
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.of(NAMESPACE, "Prefix of every cache key (<namespace>:<key>); empty means the service name.",
                        null),
                ConfigKey.of(DATABASE, "Logical database index (SELECT) on the server.", "0"),
                ConfigKey.of(KEY_MAX_LENGTH, "Longest key accepted, in characters, without the namespace.", "1024"),
                ConfigKey.of(FALLBACK_TO_LOADER, "getOrLoad returns the loader's result (uncached) when the store "
                        + "is unavailable instead of failing.", "false"),
                ConfigKey.of(RECONNECT_MAX_DELAY, "Largest delay between reconnect attempts after the connection "
                        + "drops (kept short so calls succeed soon after the server is back). The delay doubles from "
                        + "10ms with the SDK's ±50% jitter, its base capped at 2/3 of this value.", "200ms"),
                ConfigKey.of(CONNECT_TIMEOUT, "TCP connect timeout.", "1s"),
                ConfigKey.of(TLS_VERIFY_PEER, "With suho.cache.tls=true: verify the server certificate and host.",
                        "true"),
                ConfigKey.of(SESSION_TTL, "Sliding lifetime of a session after its last touch.", "30m"),
                ConfigKey.of(PRICES_NOTIFY, "Publish each price batch on the <namespace>:prices channel.", "false"),
                ConfigKey.of(COMMAND_LATENCY_METRICS, "Record Lettuce's lettuce.command.completion and "
                        + "lettuce.command.firstresponse timers in the meter registry.", "true"));
    }

    /** The cache's own defaults: see {@link CacheClient#defaultResilience()}. */
    @Override
    public ResilienceConfig defaultResilience() {
        return CacheClient.defaultResilience();
    }

    @Override
    public StartedStore start(StoreContext context) {
        return CacheRuntime.start(context);
    }
}
