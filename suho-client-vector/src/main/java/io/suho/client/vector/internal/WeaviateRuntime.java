package io.suho.client.vector.internal;

import io.suho.client.core.HealthStatus;
import io.suho.client.core.StoreExecutor;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.spi.StoreRuntime;
import io.suho.client.vector.VectorClient;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;

/** A started vector module: one lazily opened Weaviate connection, the client over it, and the readiness probe. */
public final class WeaviateRuntime implements StoreRuntime {
    private final WeaviateConnection connection;
    private final WeaviateVectorClient client;
    private final ReadyProbe probe;
    private final StoreExecutor executor;

    public WeaviateRuntime(WeaviateSettings settings, StoreExecutor executor) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        this.connection = new WeaviateConnection(settings, http);
        this.client = new WeaviateVectorClient(connection, executor, settings.batchSize());
        this.probe = new ReadyProbe(http, settings);
        this.executor = executor;
    }

    @Override
    public <T> T client(Class<T> type) {
        if (type == VectorClient.class) {
            return type.cast(client);
        }
        throw new IllegalArgumentException("the vector module provides VectorClient, not " + type.getName());
    }

    @Override
    public StoreHealth health() {
        StoreHealth h = probe.check();
        Map<String, Object> detail = new LinkedHashMap<>(h.detail());
        detail.put("connected", connection.isOpen());
        detail.put("breaker", executor.breakerState());
        if (h.status() == HealthStatus.UP) {
            executor.recordHealthy();
        }
        return new StoreHealth(h.store(), h.status(), h.latency(), h.checkedAt(), h.error(), detail);
    }

    @Override
    public void close() {
        connection.close();
    }
}
