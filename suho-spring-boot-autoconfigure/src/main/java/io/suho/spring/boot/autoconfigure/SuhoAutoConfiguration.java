package io.suho.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.cache.CacheClient;
import io.suho.client.cache.PriceCache;
import io.suho.client.cache.SessionStore;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.SuhoClients;
import io.suho.client.graph.GraphClient;
import io.suho.client.messaging.EventPublisher;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.NatsClient;
import io.suho.client.postgres.PostgresClient;
import io.suho.client.vector.VectorClient;
import io.suho.spring.boot.autoconfigure.internal.EnvironmentKeys;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Auto-configures the Suho SDK: one {@link SuhoClients} built from the Spring {@code Environment} (every declared
 * {@code suho.*} key, relaxed binding, profiles; {@code spring.application.name} when {@code suho.service.name} is
 * not set) with the context's {@link MeterRegistry} and {@link ObservationRegistry} (so with Micrometer Tracing every
 * store call is a span of the request's trace), closed last on shutdown (see {@link #suhoClients}); and one bean
 * per store client whose module is on the classpath
 * ({@link PostgresClient}, {@link CacheClient}, {@link SessionStore}, {@link PriceCache}, {@link AnalyticsClient},
 * {@link VectorClient}, {@link GraphClient}, {@link KafkaClient}, {@link EventPublisher}, {@link NatsClient}).
 *
 * <p>Store client beans are lazy: a store starts (opens its pool) when the first bean that needs it is created,
 * so a module on the classpath that the application never injects needs no configuration. Every bean backs off when
 * the application defines its own ({@code @ConditionalOnMissingBean}); {@link SuhoClientsBuilderCustomizer} beans
 * adjust the builder.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass(SuhoClients.class)
public class SuhoAutoConfiguration {

    /**
     * The one {@link SuhoClients} of the application, closed when the context is destroyed: after every
     * {@code SmartLifecycle} has stopped (the web server's graceful shutdown included) and after every bean that
     * depends on it or on a store client bean (relays, consumers, repositories) was destroyed.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public SuhoClients suhoClients(Environment environment, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<SuhoClientsBuilderCustomizer> customizers) {
        SuhoClients.Builder builder = SuhoClients.builder();
        EnvironmentKeys.read(environment, SuhoAutoConfiguration.class.getClassLoader()).forEach(builder::set);
        MeterRegistry registry = meterRegistry.getIfUnique();
        if (registry != null) {
            builder.meterRegistry(registry);
        }
        ObservationRegistry observations = observationRegistry.getIfUnique();
        if (observations != null) {
            builder.observationRegistry(observations);
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        try {
            return builder.build();
        } catch (ConfigurationException e) {
            String where = "suho.service.name".equals(e.key())
                    ? "suho.service.name or spring.application.name" : e.key();
            throw new ConfigurationException(e.key(), e.getMessage() + " (in this Spring Boot application: set "
                    + where + " in application.yml/properties, or any property source of the Environment)", e);
        }
    }

    /** PostgreSQL (suho-client-postgres). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(PostgresClient.class)
    static class Postgres {
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        PostgresClient postgresClient(SuhoClients suho) {
            return suho.get(PostgresClient.class);
        }
    }

    /** DragonflyDB/Redis (suho-client-cache). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CacheClient.class)
    static class Cache {
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        CacheClient cacheClient(SuhoClients suho) {
            return suho.get(CacheClient.class);
        }

        @Bean
        @Lazy
        @ConditionalOnMissingBean
        SessionStore suhoSessionStore(SuhoClients suho) {
            return suho.get(SessionStore.class);
        }

        @Bean
        @Lazy
        @ConditionalOnMissingBean
        PriceCache suhoPriceCache(SuhoClients suho) {
            return suho.get(PriceCache.class);
        }
    }

    /** ClickHouse (suho-client-analytics). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AnalyticsClient.class)
    static class Analytics {
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        AnalyticsClient analyticsClient(SuhoClients suho) {
            return suho.get(AnalyticsClient.class);
        }
    }

    /** Weaviate (suho-client-vector). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(VectorClient.class)
    static class Vector {
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        VectorClient vectorClient(SuhoClients suho) {
            return suho.get(VectorClient.class);
        }
    }

    /** ArangoDB (suho-client-graph). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(GraphClient.class)
    static class Graph {
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        GraphClient graphClient(SuhoClients suho) {
            return suho.get(GraphClient.class);
        }
    }

    /** NATS and Kafka (suho-client-messaging). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaClient.class)
    static class Messaging {
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        KafkaClient kafkaClient(SuhoClients suho) {
            return suho.get(KafkaClient.class);
        }

        @Bean
        @Lazy
        @ConditionalOnMissingBean
        EventPublisher eventPublisher(SuhoClients suho) {
            return suho.get(EventPublisher.class);
        }

        @Bean
        @Lazy
        @ConditionalOnMissingBean
        NatsClient natsClient(SuhoClients suho) {
            return suho.get(NatsClient.class);
        }
    }
}
