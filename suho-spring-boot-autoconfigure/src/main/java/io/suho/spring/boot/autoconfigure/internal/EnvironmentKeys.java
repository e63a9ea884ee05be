package io.suho.spring.boot.autoconfigure.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.DeclaredKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Reads every {@code suho.*} key the SDK declares from the Spring {@link Environment}, with Boot's relaxed binding
 * ({@code suho.postgres.pool.max-size}, {@code maxSize}, {@code SUHO_POSTGRES_POOL_MAXSIZE}), profiles and property
 * source order, and returns them by their canonical SDK name for {@code SuhoClients.Builder#set}. YAML lists become
 * comma-separated text. Keys under a module's pass-through prefix ({@code suho.kafka.producer.}) are passed as
 * written; any other {@code suho.*} name that matches no declared key is passed too, so the SDK's unknown-key warning
 * (naming the closest key) still fires for a misspelling in {@code application.yml}.
 */
public final class EnvironmentKeys {
    private EnvironmentKeys() {
    }

    /** The values for the builder, canonical key name → text. */
    public static Map<String, String> read(Environment env, ClassLoader loader) {
        Binder binder = Binder.get(env);
        Map<String, String> out = new LinkedHashMap<>();
        List<ConfigKey<?>> keys = DeclaredKeys.all(loader);
        List<String> prefixes = DeclaredKeys.prefixes(loader);
        for (ConfigKey<?> key : keys) {
            bind(binder, env, key.name()).ifPresent(v -> out.put(key.name(), v));
            if (key.secret()) {
                bind(binder, env, key.name() + ".file").ifPresent(v -> out.put(key.name() + ".file", v));
            }
        }
        if (!out.containsKey("suho.service.name")) {
            String app = env.getProperty("spring.application.name");
            if (app != null && !app.isBlank()) {
                out.put("suho.service.name", app);
            }
        }
        if (env instanceof ConfigurableEnvironment ce) {
            for (PropertySource<?> ps : ce.getPropertySources()) {
                if (!(ps instanceof EnumerablePropertySource<?> eps)) {
                    continue;
                }
                for (String name : eps.getPropertyNames()) {
                    if (!name.startsWith("suho.") || out.containsKey(name)) {
                        continue;
                    }
                    boolean passThrough = prefixes.stream().anyMatch(name::startsWith);
                    if (passThrough || !matchesDeclared(name, keys)) {
                        String v = env.getProperty(name);
                        if (v != null) {
                            out.put(name, v);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static boolean matchesDeclared(String name, List<ConfigKey<?>> keys) {
        ConfigurationPropertyName given = ConfigurationPropertyName.adapt(stripIndex(name), '.');
        for (ConfigKey<?> key : keys) {
            if (ConfigurationPropertyName.isValid(key.name())) {
                ConfigurationPropertyName declared = ConfigurationPropertyName.of(key.name());
                if (declared.equals(given) || ConfigurationPropertyName.of(key.name() + ".file").equals(given)) {
                    return true;
                }
            } else if (key.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code suho.postgres.hosts[0]} → {@code suho.postgres.hosts} (YAML list items). */
    private static String stripIndex(String name) {
        int i = name.indexOf('[');
        return i < 0 ? name : name.substring(0, i);
    }

    private static Optional<String> bind(Binder binder, Environment env, String name) {
        if (!ConfigurationPropertyName.isValid(name)) {
            return Optional.ofNullable(env.getProperty(name));
        }
        Optional<String> text = binder.bind(name, Bindable.of(String.class)).map(String::valueOf).map(Optional::of).orElse(Optional.empty());
        if (text.isPresent()) {
            return text;
        }
        return binder.bind(name, Bindable.listOf(String.class)).map(l -> String.join(",", l)).map(Optional::of).orElse(Optional.empty());
    }
}
