package io.suho.spring.boot.autoconfigure;

import io.suho.client.core.SuhoClients;
import io.suho.client.postgres.PostgresClient;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionManager;

/**
 * One transaction: a {@link JdbcTransactionManager} on the application's single {@link DataSource} when nothing
 * else defined a transaction manager (Boot's own {@code DataSourceTransactionManagerAutoConfiguration} runs first
 * and wins when spring-boot-jdbc is present), and the {@link SuhoSpringOutbox} that appends outbox rows inside the
 * Spring transaction.
 */
@AutoConfiguration(after = {SuhoAutoConfiguration.class, SuhoDataSourceAutoConfiguration.class}, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"})
@ConditionalOnClass({SuhoClients.class, PostgresClient.class, DataSourceUtils.class})
@ConditionalOnBean(SuhoClients.class)
public class SuhoTransactionAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(TransactionManager.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    public JdbcTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    public SuhoSpringOutbox suhoSpringOutbox(PostgresClient postgres, DataSource dataSource) {
        return new SuhoSpringOutbox(postgres.outbox(), dataSource);
    }
}
