package io.suho.client.postgres.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.client.core.spi.StoreRuntime;
import io.suho.client.postgres.PostgresClient;
import java.util.List;
import java.util.Set;

/** The PostgreSQL store module, found by {@link java.util.ServiceLoader}: provides {@link PostgresClient}. */
public final class PostgresModule implements StoreModule {
    private volatile io.suho.client.core.ResilienceConfig resilience = io.suho.client.core.ResilienceConfig.defaults();

    @Override
    public Store store() {
        return Store.POSTGRES;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(PostgresClient.class);
    }

    @Override
    public List<ConfigKey> configKeys() {
        return PostgresSettings.keys();
    }

    @Override
    public StoreExecutor.FailureClassifier failureClassifier() {
        return PostgresFailures::classify;
    }

    @Override
    public StoreExecutor.ExceptionTranslator exceptionTranslator() {
        return (operation, failure, kind) -> PostgresFailures.translate(operation, failure, kind, resilience);
    }

    @Override
    public StoreRuntime start(StoreContext context) {
        resilience = context.resilience();
        return new PostgresRuntime(context);
    }
}
