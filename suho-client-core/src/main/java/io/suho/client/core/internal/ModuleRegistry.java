package io.suho.client.core.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.HealthKeys;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.StoreModule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store modules of one {@code SuhoClients}: those {@link ServiceLoader} finds on the classpath plus those the
 * builder added, the client types each serves, every config key they declare, and the checks {@code build()} runs
 * on them before any store starts — values of the SDK's own keys, each store's resilience, hosts and TLS keys, each
 * module's {@link StoreModule#validate}, and a warning for each {@code suho.*} key nobody reads. Immutable after
 * {@link #discover}; thread-safe.
 */
final class ModuleRegistry {
    private static final Logger log = LoggerFactory.getLogger(ModuleRegistry.class);

    private final Map<Store, StoreModule> modules;
    private final Map<Class<?>, StoreModule> byType;
    private final Map<Store, ResilienceConfig> resilienceOverrides;

    private ModuleRegistry(Map<Store, StoreModule> modules, Map<Class<?>, StoreModule> byType,
            Map<Store, ResilienceConfig> resilienceOverrides) {
        this.modules = Collections.unmodifiableMap(modules);
        this.byType = Collections.unmodifiableMap(byType);
        this.resilienceOverrides = Map.copyOf(resilienceOverrides);
    }

    /**
     * Finds the modules; when two serve the same store, a module added to the builder wins over one found on the
     * classpath (and a warning names both); between two found on the classpath, the first wins.
     *
     * @param resilienceOverrides the builder's {@code ResilienceConfig} per store
     * @throws ConfigurationException when a module on the classpath cannot be loaded
     */
    static ModuleRegistry discover(ClassLoader loader, List<StoreModule> extra,
            Map<Store, ResilienceConfig> resilienceOverrides) {
        Map<Store, StoreModule> modules = new EnumMap<>(Store.class);
        Map<Class<?>, StoreModule> byType = new LinkedHashMap<>();
        List<StoreModule> found = new ArrayList<>(extra);
        try {
            ServiceLoader.load(StoreModule.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException("classpath", "a Suho store module on the classpath cannot be loaded: "
                    + e.getMessage() + "; fix: align all io.suho artifacts with io.suho:suho-bom", e);
        }
        for (StoreModule m : found) {
            StoreModule previous = modules.putIfAbsent(m.store(), m);
            if (previous != null && previous.getClass() != m.getClass()) {
                log.warn("two modules serve {}: {} and {}; using the first (a module added to the builder comes first)", m.store(), previous.getClass().getName(),
                        m.getClass().getName());
                continue;
            }
            for (Class<?> type : m.clientTypes()) {
                byType.putIfAbsent(type, m);
            }
        }
        return new ModuleRegistry(modules, byType, resilienceOverrides);
    }

    /** The stores that have a module, in {@link Store} order. */
    Set<Store> stores() {
        return modules.keySet();
    }

    boolean has(Store store) {
        return modules.containsKey(store);
    }

    StoreModule module(Store store) {
        return modules.get(store);
    }

    /** The module serving {@code type} (or a subtype of it), if any. */
    Optional<StoreModule> forType(Class<?> type) {
        StoreModule m = byType.get(type);
        if (m == null) {
            for (Map.Entry<Class<?>, StoreModule> e : byType.entrySet()) {
                if (type.isAssignableFrom(e.getKey())) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.ofNullable(m);
    }

    /** The SDK's own keys, then each module's common and own keys. */
    List<ConfigKey<?>> knownKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(ClientKeys.ALL);
        keys.addAll(HealthKeys.keys());
        keys.addAll(ObservationKeys.ALL);
        for (StoreModule m : modules.values()) {
            keys.addAll(StoreKeys.common(m.store()));
            keys.addAll(HealthKeys.keys(m.store()));
            keys.addAll(m.configKeys());
        }
        return keys;
    }

    /** A store's resilience: the builder's or the module's default, with the keys someone set on top. */
    ResilienceConfig resilience(Store store, SuhoConfig config) {
        ResilienceConfig base = resilienceOverrides.getOrDefault(store, modules.get(store).defaultResilience());
        return ResilienceConfig.fromConfig(config, store, base);
    }

    /** Fails fast on invalid values of the SDK's keys and each store's shared keys, before any connection opens. */
    void validateLocal(SuhoConfig config) {
        for (ConfigKey<?> key : ClientKeys.ALL) {
            config.optional(key);
        }
        HealthKeys.keys().forEach(config::optional);
        ObservationKeys.ALL.forEach(config::optional);
        for (Store store : modules.keySet()) {
            HealthKeys.keys(store).forEach(config::optional);
            resilience(store, config);
            config.optional(StoreKeys.hostsKey(store));
            config.get(StoreKeys.tlsKey(store));
        }
    }

    /**
     * Runs every module's {@link StoreModule#validate} on the configuration as resolved with the hub's endpoints,
     * whether the store starts now or on first use.
     */
    void validateModules(SuhoConfig config) {
        for (StoreModule m : modules.values()) {
            m.validate(config);
        }
    }

    /** Logs one warning per {@code suho.*} setting that no known key reads (see {@link UnknownKeys}). */
    void warnAboutUnknownKeys(SuhoConfig config) {
        List<String> prefixes = new ArrayList<>();
        for (StoreModule m : modules.values()) {
            prefixes.addAll(m.configPrefixes());
        }
        List<String> absent = new ArrayList<>();
        for (Store s : Store.values()) {
            if (!modules.containsKey(s)) {
                absent.add(s.keyPrefix());
            }
        }
        for (String warning : UnknownKeys.warnings(config, prefixes, absent)) {
            log.warn(warning);
        }
    }

    /** The message for a client type no module provides, naming the Maven artifact to add. */
    static String missingModuleMessage(Class<?> type) {
        String pkg = type.getPackageName();
        String artifact = null;
        if (pkg.startsWith("io.suho.client.")) {
            String seg = pkg.substring("io.suho.client.".length()).split("\\.")[0];
            artifact = "suho-client-" + seg;
        }
        return type.getSimpleName() + " is not provided by any Suho module on the classpath"
                + (artifact == null ? "" : "; fix: add the Maven dependency io.suho:" + artifact
                        + " (version managed by io.suho:suho-bom)");
    }

    /** The exception for a store whose module is not on the classpath. */
    static ConfigurationException missingStoreModule(Store store) {
        return new ConfigurationException("classpath", "no Suho module for " + store.id()
                + " is on the classpath; fix: add the Maven dependency io.suho:" + store.artifactId()
                + " (version managed by io.suho:suho-bom)");
    }

    @Override
    public String toString() {
        return "ModuleRegistry" + modules.keySet().toString().toLowerCase(Locale.ROOT);
    }
}
