package io.suho.spring.boot.autoconfigure;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.core.SuhoClients;
import io.suho.client.postgres.PostgresClient;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A whole Spring Boot application (every auto-configuration on the classpath, as {@code SpringApplication} runs it)
 * against a real PostgreSQL: a {@code @Transactional} method writes a business row with {@link JdbcTemplate} and an
 * outbox row with {@link SuhoSpringOutbox} atomically (rollback leaves neither), the health groups and the info entry.
 * ClickHouse is pointed at a port where nothing listens, to see a store outside {@code suho.health.readiness} DOWN
 * while readiness stays UP.
 */
class SuhoSpringApplicationIT {
    private static ConfigurableApplicationContext ctx;

    @BeforeAll
    static void start() {
        StoreServer pg = RealServers.server(StoreKind.POSTGRES);
        List<String> props = new ArrayList<>(RealServers.properties(pg));
        props.add("spring.application.name=spring-app-it");
        props.add("suho.health.readiness=postgres");
        props.add("suho.analytics.hosts=127.0.0.1:1");
        props.add("management.endpoint.health.probes.enabled=true");
        props.add("management.endpoint.health.show-details=always");
        props.add("management.endpoint.health.show-components=always");
        props.add("management.endpoint.health.group.suho.show-details=always");
        props.add("management.endpoint.health.group.readiness.show-details=always");
        props.add("spring.jmx.enabled=true");
        props.add("management.endpoints.jmx.exposure.include=health,info");
        ctx = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(props.toArray(String[]::new)).run();
        ctx.getBean(JdbcTemplate.class).execute("DROP TABLE IF EXISTS spring_it_orders");
        ctx.getBean(JdbcTemplate.class).execute(
                "CREATE TABLE spring_it_orders (id uuid PRIMARY KEY, account_id text NOT NULL)");
    }

    @AfterAll
    static void stop() {
        if (ctx != null) {
            // no relay runs here: leave no unsent rows in the shared outbox for other tests' relays
            ctx.getBean(JdbcTemplate.class).update("DELETE FROM suho_outbox WHERE topic = ?", "spring-it-orders");
            ctx.close();
        }
    }

    @Test
    void anOrderAndItsOutboxRowCommitTogether() {
        UUID order = UUID.randomUUID();
        UUID eventId = ctx.getBean(Orders.class).place(order, "acc-commit", false);
        JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM spring_it_orders WHERE id = ?", Long.class, order))
                .isEqualTo(1L);
        assertThat(jdbc.queryForObject("SELECT convert_from(payload, 'UTF8') FROM suho_outbox WHERE event_id = ?",
                String.class, eventId)).isEqualTo("placed " + order);
    }

    @Test
    void aRollbackLeavesNeitherTheOrderNorTheOutboxRow() {
        UUID order = UUID.randomUUID();
        Orders orders = ctx.getBean(Orders.class);
        assertThatThrownBy(() -> orders.place(order, "acc-rollback", true)).isInstanceOf(IllegalStateException.class)
                .hasMessage("business rule failed");
        UUID eventId = orders.lastEventId();
        assertThat(eventId).as("the outbox row was written before the failure").isNotNull();
        JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM spring_it_orders WHERE id = ?", Long.class, order))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM suho_outbox WHERE event_id = ?", Long.class, eventId))
                .isZero();
    }

    @Test
    void theOutboxRefusesToWriteOutsideATransaction() {
        assertThatThrownBy(() -> ctx.getBean(SuhoSpringOutbox.class).append("orders", "k", new byte[] {1}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("@Transactional");
    }

    @Test
    void aStoreOutsideTheReadinessSetIsDownWhileReadinessStaysUp() {
        ctx.getBean(AnalyticsClient.class); // start ClickHouse's module against a port where nothing listens
        ctx.getBean(PostgresClient.class).queryOne("SELECT 1", rs -> rs.getInt(1));
        HealthEndpoint health = ctx.getBean(HealthEndpoint.class);
        // the SDK checks started stores in the background; the indicators show its last results
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(health.healthForPath("suhoPostgres").getStatus()).isEqualTo(Status.UP);
            assertThat(health.healthForPath("suhoAnalytics").getStatus()).isEqualTo(Status.DOWN);
        });

        HealthDescriptor suho = health.healthForPath("suho");
        assertThat(suho).isInstanceOf(CompositeHealthDescriptor.class);
        Map<String, HealthDescriptor> stores = ((CompositeHealthDescriptor) suho).getComponents();
        assertThat(stores).containsOnlyKeys("suhoPostgres", "suhoCache", "suhoAnalytics", "suhoVector", "suhoGraph",
                "suhoNats", "suhoKafka");
        assertThat(stores.get("suhoPostgres").getStatus()).isEqualTo(Status.UP);
        assertThat(stores.get("suhoAnalytics").getStatus()).isEqualTo(Status.DOWN);
        assertThat(stores.get("suhoGraph").getStatus()).as("never started").isEqualTo(Status.UNKNOWN);
        assertThat(suho.getStatus()).as("the group: a DOWN store").isEqualTo(Status.DOWN);
        assertThat(health.healthForPath("suhoPostgres").getStatus()).isEqualTo(Status.UP);

        HealthDescriptor readiness = health.healthForPath("readiness");
        assertThat(readiness.getStatus()).as("analytics is not in suho.health.readiness=postgres")
                .isEqualTo(Status.UP);
        assertThat(((CompositeHealthDescriptor) readiness).getComponents()).containsKeys("readinessState",
                "suhoReadiness");
    }

    @Test
    void theSdkObservesThroughTheContextsObservationRegistry() {
        assertThat(ctx.getBean(SuhoClients.class).observationRegistry())
                .isSameAs(ctx.getBean(ObservationRegistry.class));
    }

    @Test
    void infoShowsTheEndpointVersionAndBreakerStates() {
        ctx.getBean(PostgresClient.class).queryOne("SELECT 1", rs -> rs.getInt(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> suho = (Map<String, Object>) ctx.getBean(InfoEndpoint.class).info().get("suho");
        assertThat(suho).containsEntry("service", "spring-app-it").containsEntry("endpointVersion",
                ctx.getBean(SuhoClients.class).endpointVersion());
        assertThat(suho.get("breakers")).isInstanceOf(Map.class)
                .extracting(b -> ((Map<?, ?>) b).get("postgres")).isEqualTo("CLOSED");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Orders orders(JdbcTemplate jdbc, SuhoSpringOutbox outbox) {
            return new Orders(jdbc, outbox);
        }
    }

    /** The application's service: an order row and its event, in one Spring transaction. */
    static class Orders {
        private final JdbcTemplate jdbc;
        private final SuhoSpringOutbox outbox;
        private volatile UUID lastEventId;

        Orders(JdbcTemplate jdbc, SuhoSpringOutbox outbox) {
            this.jdbc = jdbc;
            this.outbox = outbox;
        }

        @Transactional
        public UUID place(UUID id, String account, boolean fail) {
            jdbc.update("INSERT INTO spring_it_orders (id, account_id) VALUES (?, ?)", id, account);
            lastEventId = outbox.append("spring-it-orders", account, ("placed " + id).getBytes(StandardCharsets.UTF_8));
            if (fail) {
                throw new IllegalStateException("business rule failed");
            }
            return lastEventId;
        }

        public UUID lastEventId() {
            return lastEventId;
        }
    }
}
