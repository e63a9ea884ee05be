package io.suho.client.core;

import io.suho.client.core.internal.ClientKeys;
import io.suho.client.core.internal.ObservationKeys;
import io.suho.client.core.spi.StoreModule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every configuration key the SDK declares, without building a {@link SuhoClients}: the SDK's own keys plus, for
 * each store module {@link ServiceLoader} finds on a class path, the store's common and health keys and the module's own
 * ({@link StoreModule#configKeys()}), and the pass-through prefixes ({@link StoreModule#configPrefixes()}). For
 * integrations that feed keys from another configuration system (the Spring Boot starter reads each of them from
 * the Spring {@code Environment}) and for generated documentation or IDE metadata. Stateless and thread-safe.
 */
public final class DeclaredKeys {
    private DeclaredKeys() {
    }

    /**
     * The SDK's own keys ({@code suho.service.name}, {@code suho.hub.*}, {@code suho.health.*}, ...), independent of
     * any store module.
     */
    public static List<ConfigKey<?>> sdk() {
        List<ConfigKey<?>> keys = new ArrayList<>(ClientKeys.ALL);
        keys.addAll(HealthKeys.keys());
        keys.addAll(ObservationKeys.ALL);
        return List.copyOf(keys);
    }

    /**
     * The SDK's keys and every key of every store module found with {@code loader}, one per name, sorted by name.
     *
     * @throws ConfigurationException when a module on the class path cannot be loaded
     */
    public static List<ConfigKey<?>> all(ClassLoader loader) {
        Map<String, ConfigKey<?>> byName = new TreeMap<>();
        for (ConfigKey<?> key : sdk()) {
            byName.putIfAbsent(key.name(), key);
        }
        for (StoreModule m : modules(loader)) {
            for (ConfigKey<?> key : StoreKeys.common(m.store())) {
                byName.putIfAbsent(key.name(), key);
            }
            for (ConfigKey<?> key : HealthKeys.keys(m.store())) {
                byName.putIfAbsent(key.name(), key);
            }
            for (ConfigKey<?> key : m.configKeys()) {
                byName.putIfAbsent(key.name(), key);
            }
        }
        return List.copyOf(byName.values());
    }

    /** The pass-through prefixes (e.g. {@code suho.kafka.producer.}) of the store modules found with {@code loader}. */
    public static List<String> prefixes(ClassLoader loader) {
        Set<String> out = new TreeSet<>();
        for (StoreModule m : modules(loader)) {
            out.addAll(m.configPrefixes());
        }
        return List.copyOf(out);
    }

    /** The stores whose module {@link ServiceLoader} finds with {@code loader}, in {@link Store} order. */
    public static Set<Store> stores(ClassLoader loader) {
        Set<Store> out = EnumSet.noneOf(Store.class);
        for (StoreModule m : modules(loader)) {
            out.add(m.store());
        }
        return Collections.unmodifiableSet(out);
    }

    private static List<StoreModule> modules(ClassLoader loader) {
        List<StoreModule> found = new ArrayList<>();
        try {
            ServiceLoader.load(StoreModule.class, loader == null ? DeclaredKeys.class.getClassLoader() : loader)
                    .forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException("classpath", "a Suho store module on the classpath cannot be loaded: "
                    + e.getMessage() + "; fix: align all io.suho artifacts with io.suho:suho-bom", e);
        }
        return found;
    }
}
