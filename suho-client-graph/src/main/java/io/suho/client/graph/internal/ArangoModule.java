package io.suho.client.graph.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.client.graph.GraphClient;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The graph store module (ArangoDB), found by {@link java.util.ServiceLoader}; provides {@link GraphClient}. */
public final class ArangoModule implements StoreModule {
    private static final Logger LOG = LoggerFactory.getLogger(ArangoModule.class);

    @Override
    public Store store() {
        return Store.GRAPH;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(GraphClient.class);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return ArangoSettings.keys();
    }

    @Override
    public void validate(SuhoConfig config) {
        ArangoSettings.validate(config);
    }

    @Override
    public StartedStore start(StoreContext context) {
        ArangoSettings settings = ArangoSettings.from(context.config(), context.resilience().timeout());
        LOG.debug("Starting the graph module: {}", settings);
        return new ArangoRuntime(settings, context.executor());
    }
}
