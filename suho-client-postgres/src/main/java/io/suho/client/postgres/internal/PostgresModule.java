package io.suho.client.postgres.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.client.postgres.PostgresClient;
import java.util.List;
import java.util.Set;

/** The PostgreSQL store module, found by {@link java.util.ServiceLoader}: provides {@link PostgresClient}. */
public final class PostgresModule implements StoreModule {

    @Override
    public Store store() {
        return Store.POSTGRES;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(PostgresClient.class);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return PostgresSettings.keys();
    }

    @Override
    public void validate(SuhoConfig config) {
        PostgresSettings.validate(config, ResilienceConfig.fromConfig(config, Store.POSTGRES, defaultResilience()));
    }

    @Override
    public StartedStore start(StoreContext context) {
        return new PostgresRuntime(context);
    }
}
