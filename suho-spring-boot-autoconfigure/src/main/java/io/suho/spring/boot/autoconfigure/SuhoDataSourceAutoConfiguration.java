package io.suho.spring.boot.autoconfigure;

import io.suho.client.postgres.PostgresClient;
import io.suho.spring.boot.autoconfigure.internal.PrimaryDataSource;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import io.suho.client.core.SuhoClients;

/**
 * One pool: the SDK's PostgreSQL primary pool becomes the application's {@link DataSource} bean, so Boot's
 * {@code DataSourceAutoConfiguration} backs off and no second pool opens. Skipped when the application defines a
 * {@code DataSource} itself, sets {@code spring.datasource.url} (then Boot's own pool is used beside the SDK's, as
 * documented), or sets {@code suho.spring.datasource.enabled=false}.
 */
@AutoConfiguration(after = SuhoAutoConfiguration.class,
        beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({SuhoClients.class, PostgresClient.class, DataSource.class})
@ConditionalOnBean(SuhoClients.class)
@ConditionalOnProperty(name = "suho.spring.datasource.enabled", havingValue = "true", matchIfMissing = true)
public class SuhoDataSourceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(DataSource.class)
    @Conditional(NoSpringDatasourceUrl.class)
    public DataSource dataSource(PostgresClient postgres) {
        return new PrimaryDataSource(postgres);
    }

    /** Matches when {@code spring.datasource.url} is not set. */
    static final class NoSpringDatasourceUrl extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank()
                    ? ConditionOutcome.match("spring.datasource.url is not set")
                    : ConditionOutcome.noMatch("spring.datasource.url is set: Boot's own DataSource is used");
        }
    }
}
