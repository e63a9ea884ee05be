package io.suho.spring.boot.autoconfigure;

import io.suho.client.core.DeclaredKeys;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.spring.boot.autoconfigure.internal.ReadinessHealthIndicator;
import io.suho.spring.boot.autoconfigure.internal.StoreHealthIndicator;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Actuator health of the Suho stores: one indicator per store whose module is on the classpath
 * ({@code suhoPostgres}, {@code suhoCache}, ...; {@code /actuator/health/suhoPostgres}), gathered in the {@code suho}
 * health group ({@code /actuator/health/suho}), and
 * {@code suhoReadiness}, DOWN only when a store named by {@code suho.health.readiness} (default
 * {@code postgres,cache,nats}) is DOWN — it joins the {@code readiness} group when Boot's probes are on. Switch off with
 * {@code management.health.suho.enabled=false}.
 */
@AutoConfiguration(after = SuhoAutoConfiguration.class)
@ConditionalOnClass({SuhoClients.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(SuhoClients.class)
@ConditionalOnEnabledHealthIndicator("suho")
public class SuhoHealthAutoConfiguration {
    /**
     * Registers one {@link HealthIndicator} per store whose module is on the classpath, named
     * {@code suho<Store>HealthIndicator} (contributor {@code suhoPostgres}, {@code suhoCache}, ...), unless the
     * application defined a bean of that name.
     */
    @Bean
    public static BeanDefinitionRegistryPostProcessor suhoStoreHealthIndicators() {
        return registry -> {
            for (Store store : DeclaredKeys.stores(SuhoHealthAutoConfiguration.class.getClassLoader())) {
                String name = contributorName(store) + "HealthIndicator";
                if (registry.containsBeanDefinition(name)) {
                    continue;
                }
                RootBeanDefinition bd = new RootBeanDefinition(StoreHealthIndicator.class);
                bd.getConstructorArgumentValues().addIndexedArgumentValue(0, new RuntimeBeanReference(SuhoClients.class));
                bd.getConstructorArgumentValues().addIndexedArgumentValue(1, store);
                registry.registerBeanDefinition(name, bd);
            }
        };
    }

    /** The health contributor name of a store: {@code suhoPostgres}, {@code suhoCache}, ... */
    public static String contributorName(Store store) {
        return "suho" + Character.toUpperCase(store.id().charAt(0)) + store.id().substring(1);
    }

    /** Indicator {@code suhoReadiness}: the SDK's readiness view over {@code suho.health.readiness}. */
    @Bean
    @ConditionalOnMissingBean(name = "suhoReadinessHealthIndicator")
    public HealthIndicator suhoReadinessHealthIndicator(SuhoClients suho) {
        return new ReadinessHealthIndicator(suho);
    }
}
