package io.suho.client.core.spi;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import java.util.List;
import java.util.Set;

/**
 * A store module, found with {@link java.util.ServiceLoader} when its jar is on the classpath (register it in
 * {@code META-INF/services/io.suho.client.core.spi.StoreModule}). It says which store it serves, which client types
 * it provides, which config keys it reads, and starts on first use (or at {@code build()} with {@code eagerStart}),
 * returning a {@link StartedStore}. Implementations must have a public no-arg constructor and keep no state: all
 * state belongs to the started store.
 */
public interface StoreModule {

    /** The store this module serves. */
    Store store();

    /** The client types {@code SuhoClients.get(type)} can return from this module (interfaces, usually one). */
    Set<Class<?>> clientTypes();

    /** Keys this module reads beyond {@link io.suho.client.core.StoreKeys#common(Store)}, for validation and docs. */
    List<ConfigKey> configKeys();

    /** Resilience defaults for this store before user overrides (e.g. a longer timeout for Kafka acks=all). */
    default ResilienceConfig defaultResilience() {
        return ResilienceConfig.defaults();
    }

    /**
     * Opens pools and connections and returns the started store. Throws
     * {@link io.suho.client.core.ConfigurationException} for bad config. May return before the store is reachable (a
     * down store must not stop the application from starting); health reports it. Calls made through
     * {@link StoreContext#executor()} before this returns are classified by {@link FailurePolicy#generic}.
     */
    StartedStore start(StoreContext context) throws Exception;
}
