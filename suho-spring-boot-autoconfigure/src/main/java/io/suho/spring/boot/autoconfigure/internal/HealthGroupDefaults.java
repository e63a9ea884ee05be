package io.suho.spring.boot.autoconfigure.internal;

import io.suho.client.core.DeclaredKeys;
import io.suho.client.core.Store;
import io.suho.spring.boot.autoconfigure.SuhoHealthAutoConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Default health groups, at the lowest precedence (any setting of the application wins): the {@code suho} group
 * holding the store indicators ({@code suhoPostgres}, ...), and — when Boot's probes are on ({@code management.endpoint.health.probes.enabled}
 * or Kubernetes) — a {@code readiness} group of {@code readinessState} and {@code suhoReadiness}.
 */
public final class HealthGroupDefaults implements EnvironmentPostProcessor {
    static final String SOURCE = "suhoHealthGroupDefaults";
    private static final String GROUP = "management.endpoint.health.group.";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator",
                HealthGroupDefaults.class.getClassLoader())
                || !env.getProperty("management.health.suho.enabled", Boolean.class,
                        env.getProperty("management.health.defaults.enabled", Boolean.class, true))) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (!env.containsProperty(GROUP + "suho.include")) {
            List<String> names = new ArrayList<>();
            for (Store store : DeclaredKeys.stores(HealthGroupDefaults.class.getClassLoader())) {
                names.add(SuhoHealthAutoConfiguration.contributorName(store));
            }
            if (!names.isEmpty()) {
                defaults.put(GROUP + "suho.include", String.join(",", names));
            }
        }
        boolean probes = env.getProperty("management.endpoint.health.probes.enabled", Boolean.class,
                CloudPlatform.getActive(env) == CloudPlatform.KUBERNETES);
        if (probes && !env.containsProperty(GROUP + "readiness.include")) {
            defaults.put(GROUP + "readiness.include", "readinessState,suhoReadiness");
        }
        if (!defaults.isEmpty()) {
            env.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
        }
    }
}
