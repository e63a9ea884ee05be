package io.suho.client.core.spi;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
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
    List<ConfigKey<?>> configKeys();

    /**
     * Prefixes of pass-through keys this module reads besides {@link #configKeys()} (e.g. {@code suho.kafka.producer.}),
     * so that keys under them are not reported as unknown at {@code build()}.
     */
    default List<String> configPrefixes() {
        return List.of();
    }

    /**
     * Checks this module's configuration at {@code build()}, whether the store starts then or on first use: throws
     * {@link io.suho.client.core.ConfigurationException} naming the key for a value that is set but invalid (bad
     * syntax, out of range, or an invalid combination such as a min-idle above the pool size). A required key that
     * is missing (e.g. {@code hosts}) is not an error here: the store may never be used, and it may still come from
     * the hub; it is reported when the store starts. The default parses every common key and every key of
     * {@link #configKeys()}; modules with a settings record override this to read it.
     */
    default void validate(SuhoConfig config) {
        for (ConfigKey<?> key : StoreKeys.common(store())) {
            config.optional(key);
        }
        for (ConfigKey<?> key : configKeys()) {
            config.optional(key);
        }
    }

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
