package io.suho.client.vector.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.client.vector.VectorClient;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The vector store module (Weaviate), found by {@link java.util.ServiceLoader}; provides {@link VectorClient}. */
public final class WeaviateModule implements StoreModule {
    private static final Logger LOG = LoggerFactory.getLogger(WeaviateModule.class);

    @Override
    public Store store() {
        return Store.VECTOR;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(VectorClient.class);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return WeaviateSettings.keys();
    }

    @Override
    public void validate(SuhoConfig config) {
        WeaviateSettings.validate(config);
    }

    @Override
    public StartedStore start(StoreContext context) {
        WeaviateSettings settings = WeaviateSettings.from(context.config(), context.resilience().timeout());
        if (WeaviateSettings.severalHosts(context.config())) {
            LOG.warn("suho.vector.hosts lists several hosts; Weaviate is reached through one address, using {}",
                    settings.baseUrl());
        }
        LOG.debug("Starting the vector module: {}", settings);
        return new WeaviateRuntime(settings, context.executor());
    }
}
