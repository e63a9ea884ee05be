package io.suho.client.graph.internal;

import com.arangodb.ArangoDB;
import com.arangodb.entity.ArangoDBVersion;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.HostPort;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.PemCertificates;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.graph.GraphClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

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
        if (s.tls() && (s.caFile().isPresent() || s.keystore().isPresent())) {
            b.sslContext(sslContext(s));
        }
        if (s.maxConnections() != null) {
            b.maxConnections(s.maxConnections());
        }
        return b.build();
    }

    /** Trust in the configured CA (else the JVM's) and the client certificate, if configured. */
    private static SSLContext sslContext(ArangoSettings s) {
        if (s.caFile().isPresent()) {
            try {
                PemCertificates.trustManagers(s.caFile().get()); // read first, so a failure names the right key
            } catch (IOException e) {
                throw new ConfigurationException(ArangoSettings.TLS_CA_FILE, ArangoSettings.TLS_CA_FILE + " = "
                        + s.caFile().get() + ": " + e.getMessage() + "; fix: point it at the PEM file of the CA that"
                        + " signed ArangoDB's certificate", e);
            }
        }
        try {
            return PemCertificates.context(s.caFile().orElse(null), s.keystore().orElse(null),
                    s.keystorePassword().map(p -> p.reveal().toCharArray()).orElse(null));
        } catch (IOException e) {
            throw new ConfigurationException(ArangoSettings.TLS_KEYSTORE, ArangoSettings.TLS_KEYSTORE + " = "
                    + s.keystore().orElse(null) + " cannot be opened: " + e.getMessage() + "; fix: point it at a"
                    + " PKCS#12 file with the client certificate and key, and set "
                    + ArangoSettings.TLS_KEYSTORE_PASSWORD + " to its password", e);
        }
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
