package io.suho.client.graph.internal;

import com.arangodb.ArangoDB;
import com.arangodb.entity.ArangoDBVersion;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.HostPort;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.graph.GraphClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A started graph module: one {@link ArangoDB} driver instance (it opens connections on first request, so the
 * application starts while ArangoDB is down), the client over it, and health via {@code GET /_api/version}.
 */
public final class ArangoRuntime implements StartedStore {
    private final ArangoDB arango;
    private final ArangoGraphClient client;
    private final ArangoSettings settings;

    public ArangoRuntime(ArangoSettings settings, StoreExecutor executor) {
        ObjectMapper mapper = JacksonDocumentSerde.defaultMapper();
        this.arango = driver(settings, mapper);
        this.client = new ArangoGraphClient(arango, settings, executor, mapper);
        this.settings = settings;
    }

    /** Builds the driver: hosts, TLS, credentials, protocol, timeout and our Jackson mapping. No I/O. */
    static ArangoDB driver(ArangoSettings s, ObjectMapper mapper) {
        ArangoDB.Builder b = new ArangoDB.Builder()
                .protocol(s.protocol())
                .timeout(s.timeoutMillis())
                .user(s.user())
                .useSsl(s.tls())
                .serde(new JacksonDocumentSerde(mapper));
        for (HostPort h : s.hosts()) {
            b.host(h.host(), h.port());
        }
        s.password().ifPresent(p -> b.password(p.reveal()));
        if (s.maxConnections() != null) {
            b.maxConnections(s.maxConnections());
        }
        return b.build();
    }

    @Override
    public <T> T client(Class<T> type) {
        if (type == GraphClient.class) {
            return type.cast(client);
        }
        throw new IllegalArgumentException("the graph module provides GraphClient, not " + type.getName());
    }

    @Override
    public ProbeResult probe() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("hosts", settings.hosts().toString());
        detail.put("database", settings.database());
        try {
            ArangoDBVersion v = arango.getVersion();
            detail.put("server", v.getServer());
            detail.put("version", v.getVersion());
            return ProbeResult.up(detail);
        } catch (RuntimeException e) {
            return new ProbeResult(HealthStatus.DOWN, "GET /_api/version failed", e, detail);
        }
    }

    @Override
    public FailurePolicy failurePolicy() {
        return ArangoFailures.POLICY;
    }

    @Override
    public void close() {
        arango.shutdown();
    }
}
