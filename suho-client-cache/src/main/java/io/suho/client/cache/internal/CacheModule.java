package io.suho.client.cache.internal;

import io.suho.client.cache.CacheClient;
import io.suho.client.cache.PriceCache;
import io.suho.client.cache.SessionStore;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import java.util.List;
import java.util.Set;

/**
 * The cache store module (DragonflyDB, or any Redis-protocol server): registered through
 * {@link java.util.ServiceLoader}, it starts one Lettuce client, shared client resources and one multiplexed
 * connection per {@code SuhoClients}, and serves {@link CacheClient}, {@link SessionStore} and {@link PriceCache}.
 * The keys it reads beyond the common {@code suho.cache.*} ones are declared, with their defaults, in
 * {@link CacheSettings}; the constants below are their names. Stateless: everything it starts belongs to the
 * returned {@link StartedStore}.
 */
public final class CacheModule implements StoreModule {

    /** Key namespace (prefix) of this service's cache keys; default the service name. */
    public static final String NAMESPACE = CacheSettings.NAMESPACE.name();
    /** Logical database index. */
    public static final String DATABASE = CacheSettings.DATABASE.name();
    /** Longest accepted key (characters, without namespace). */
    public static final String KEY_MAX_LENGTH = CacheSettings.KEY_MAX_LENGTH.name();
    /** Whether getOrLoad falls through to the loader when the store is unavailable. */
    public static final String FALLBACK_TO_LOADER = CacheSettings.FALLBACK_TO_LOADER.name();
    /** Upper bound of the reconnect backoff. */
    public static final String RECONNECT_MAX_DELAY = CacheSettings.RECONNECT_MAX_DELAY.name();
    /** TCP connect timeout. */
    public static final String CONNECT_TIMEOUT = CacheSettings.CONNECT_TIMEOUT.name();
    /** Verify the server certificate when TLS is on. */
    public static final String TLS_VERIFY_PEER = CacheSettings.TLS_VERIFY_PEER.name();
    /** Sliding TTL of sessions. */
    public static final String SESSION_TTL = CacheSettings.SESSION_TTL.name();
    /** Publish a notification on each price update. */
    public static final String PRICES_NOTIFY = CacheSettings.PRICES_NOTIFY.name();
    /** Record Lettuce's per-command latency timers in the meter registry. */
    public static final String COMMAND_LATENCY_METRICS = CacheSettings.COMMAND_LATENCY_METRICS.name();

    @Override
    public Store store() {
        return Store.CACHE;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(CacheClient.class, SessionStore.class, PriceCache.class);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return CacheSettings.keys();
    }

    @Override
    public void validate(SuhoConfig config) {
        CacheSettings.validate(config);
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
