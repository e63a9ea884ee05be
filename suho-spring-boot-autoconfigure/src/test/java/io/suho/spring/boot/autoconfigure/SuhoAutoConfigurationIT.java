package io.suho.spring.boot.autoconfigure;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.cache.CacheClient;
import io.suho.client.cache.PriceCache;
import io.suho.client.cache.SessionStore;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.DeclaredKeys;
import io.suho.client.core.SuhoClients;
import io.suho.client.graph.GraphClient;
import io.suho.client.messaging.EventPublisher;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.NatsClient;
import io.suho.client.postgres.PostgresClient;
import io.suho.client.vector.VectorClient;
import io.suho.spring.boot.autoconfigure.internal.PrimaryDataSource;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration against a real PostgreSQL: which beans appear for which modules on the classpath, that
 * {@code suho.*} properties (relaxed forms, YAML lists) reach the SDK, that the application's own beans win, the one
 * pool, and the close on context stop.
 */
class SuhoAutoConfigurationIT {
    private static StoreServer pg;

    @BeforeAll
    static void servers() {
        pg = RealServers.server(StoreKind.POSTGRES);
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SuhoAutoConfiguration.class,
                        SuhoDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, SuhoTransactionAutoConfiguration.class))
                .withPropertyValues(RealServers.properties(pg, "spring.application.name=spring-autoconfig-it"));
    }

    @Test
    void oneBeanPerStoreClientOfEveryModuleOnTheClasspath() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(SuhoClients.class);
            for (Class<?> type : List.of(PostgresClient.class, CacheClient.class, SessionStore.class,
                    PriceCache.class, AnalyticsClient.class, VectorClient.class, GraphClient.class, KafkaClient.class,
                    EventPublisher.class, NatsClient.class)) {
                assertThat(ctx).as(type.getSimpleName()).hasSingleBean(type);
            }
            // lazy: only the store the application uses is started
            assertThat(ctx.getBean(SuhoClients.class).breakerStates()).containsOnlyKeys(
                    io.suho.client.core.Store.POSTGRES);
            assertThat(ctx.getBean(PostgresClient.class).queryOne("SELECT 41 + 1", rs -> rs.getInt(1)))
                    .contains(42);
            assertThat(ctx.getBean(SuhoClients.class).serviceName()).isEqualTo("spring-autoconfig-it");
        });
    }

    @Test
    void noBeanForAModuleMissingFromTheClasspath() {
        runner().withClassLoader(new FilteredClassLoader(CacheClient.class, VectorClient.class, GraphClient.class,
                KafkaClient.class, AnalyticsClient.class)).run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(SuhoClients.class).hasSingleBean(PostgresClient.class)
                            .doesNotHaveBean(CacheClient.class).doesNotHaveBean(SessionStore.class)
                            .doesNotHaveBean(VectorClient.class).doesNotHaveBean(GraphClient.class)
                            .doesNotHaveBean(KafkaClient.class).doesNotHaveBean(NatsClient.class)
                            .doesNotHaveBean(AnalyticsClient.class);
                });
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SuhoAutoConfiguration.class,
                SuhoDataSourceAutoConfiguration.class, SuhoTransactionAutoConfiguration.class))
                .withPropertyValues("suho.service.name=spring-autoconfig-it")
                .withClassLoader(new FilteredClassLoader(PostgresClient.class)).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(SuhoClients.class).doesNotHaveBean(PostgresClient.class)
                    .doesNotHaveBean(SuhoSpringOutbox.class).doesNotHaveBean(DataSource.class)
                    .hasSingleBean(CacheClient.class);
                });
    }

    @Test
    void applicationPropertiesReachTheSdkInEveryRelaxedForm() {
        runner().withPropertyValues("suho.postgres.pool.maxSize=7", "suho.postgres.pool.min-idle=1",
                "suho.hub.timeout=750ms", "suho.cache.hosts[0]=cache-a:6379",
                "suho.cache.hosts[1]=cache-b:6380", "suho.analytics.pool.maxConnections=3").run(ctx -> {
                    SuhoClients suho = ctx.getBean(SuhoClients.class);
                    assertThat(suho.config().get("suho.postgres.pool.max-size")).contains("7");
                    assertThat(suho.config().get("suho.postgres.pool.min-idle")).contains("1");
                    assertThat(suho.config().get("suho.analytics.pool.max-connections")).contains("3");
                    assertThat(suho.config().get("suho.cache.hosts")).contains("cache-a:6379,cache-b:6380");
                    ConfigKey<?> hubTimeout = DeclaredKeys.sdk().stream()
                            .filter(k -> k.name().equals("suho.hub.timeout")).findFirst().orElseThrow();
                    assertThat(suho.config().optional(hubTimeout).map(Object.class::cast)).contains(Duration.ofMillis(750));
                });
    }

    @Test
    void aMissingServiceNameFailsStartupNamingTheSpringProperties() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SuhoAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasFailed().getFailure()
                        .hasStackTraceContaining("suho.service.name is not set")
                        .hasStackTraceContaining("set suho.service.name or spring.application.name in application.yml"));
    }

    @Test
    void theContextsMeterRegistryGetsTheSdksMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runner().withBean(MeterRegistry.class, () -> registry).run(ctx -> {
            ctx.getBean(PostgresClient.class).queryOne("SELECT 1", rs -> rs.getInt(1));
            assertThat(ctx.getBean(SuhoClients.class).meterRegistry()).isSameAs(registry);
            assertThat(registry.find("suho.client.requests").tag("store", "postgres").timers()).isNotEmpty();
        });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner().withUserConfiguration(OwnBeans.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(SuhoClients.class).serviceName()).isEqualTo("own-suho");
            assertThat(ctx.getBean(DataSource.class)).isInstanceOf(PrimaryDataSource.class);
        });
        runner().withPropertyValues("spring.datasource.url=" + pg.url(), "spring.datasource.username=" + pg.user(),
                "spring.datasource.password=" + pg.password()).run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(DataSource.class)).isNotInstanceOf(PrimaryDataSource.class);
                });
    }

    @Test
    void onePoolTheSdksPrimaryIsTheDataSourceAndJdbcTemplateUsesIt() {
        runner().run(ctx -> {
            DataSource ds = ctx.getBean(DataSource.class);
            assertThat(ds).isInstanceOf(PrimaryDataSource.class);
            PostgresClient postgres = ctx.getBean(PostgresClient.class);
            assertThat(ds.isWrapperFor(postgres.primaryDataSource().getClass())).isTrue();
            assertThat(new JdbcTemplate(ds).queryForObject("SELECT 6 * 7", Integer.class)).isEqualTo(42);
        });
    }

    @Test
    void closesTheClientsLastAfterTheBeansThatUseThem() {
        SuhoClients[] seen = new SuhoClients[1];
        List<Integer> atDestroy = new java.util.ArrayList<>();
        runner().withUserConfiguration(UsesPostgres.class).run(ctx -> {
                    seen[0] = ctx.getBean(SuhoClients.class);
                    ctx.getBean(UsesPostgresOnClose.class).sink = atDestroy;
                });
        assertThat(atDestroy).as("a dependent bean still queried PostgreSQL in its destroy method").containsExactly(1);
        assertThat(seen[0].breakerStates()).as("closed afterwards: no started store left").isEmpty();
    }

    /** A bean that needs PostgreSQL when it is destroyed (flushing, deregistering...). */
    static final class UsesPostgresOnClose implements AutoCloseable {
        private final PostgresClient pg;
        volatile List<Integer> sink;

        UsesPostgresOnClose(PostgresClient pg) {
            this.pg = pg;
        }

        @Override
        public void close() {
            sink.add(pg.queryOne("SELECT 1", rs -> rs.getInt(1)).orElseThrow());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UsesPostgres {
        @Bean
        UsesPostgresOnClose usesPostgresOnClose(PostgresClient pg) {
            return new UsesPostgresOnClose(pg);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        SuhoClients suhoClients() {
            StoreServer s = pg;
            return s.configure(SuhoClients.builder().serviceName("own-suho")).build();
        }
    }
}
