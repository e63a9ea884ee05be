package io.suho.client.vector.internal;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.PemCertificates;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.vector.VectorClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;

/**
 * A started vector module: one lazily opened Weaviate connection, the client over it, and the readiness probe
 * ({@code GET /v1/.well-known/ready}: 200 = ready, 503 = starting or shutting down). The probe uses the JDK HTTP
 * client, bounded by the store timeout, so health works before, and independently of, the data connection.
 */
public final class WeaviateRuntime implements StartedStore {
    private static final String READY = "/v1/.well-known/ready";

    private final WeaviateSettings settings;
    private final HttpClient http;
    private final URI ready;
    private final WeaviateConnection connection;
    private final WeaviateVectorClient client;

    public WeaviateRuntime(WeaviateSettings settings, StoreExecutor executor) {
        this.settings = settings;
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .version(HttpClient.Version.HTTP_1_1);
        TrustManagerFactory trust = null;
        if (settings.tls() && settings.caFile().isPresent()) {
            Path ca = settings.caFile().get();
            try {
                trust = PemCertificates.trustManagers(ca);
                hb.sslContext(PemCertificates.trusting(ca));
            } catch (IOException e) {
                throw new ConfigurationException(WeaviateSettings.TLS_CA_FILE, WeaviateSettings.TLS_CA_FILE + " = "
                        + ca + ": " + e.getMessage() + "; fix: point it at the PEM file of the CA that signed"
                        + " Weaviate's certificate", e);
            }
        }
        this.http = hb.build();
        this.ready = URI.create(settings.baseUrl() + READY);
        this.connection = new WeaviateConnection(settings, http, trust);
        this.client = new WeaviateVectorClient(connection, executor, settings.batchSize());
    }

    @Override
    public <T> T client(Class<T> type) {
        if (type == VectorClient.class) {
            return type.cast(client);
        }
        throw new IllegalArgumentException("the vector module provides VectorClient, not " + type.getName());
    }

    @Override
    public ProbeResult probe() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("url", settings.baseUrl());
        detail.put("connected", connection.isOpen());
        HttpRequest req = HttpRequest.newBuilder(ready).timeout(settings.timeout()).GET().build();
        try {
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            detail.put("status", status);
            return status == 200 ? ProbeResult.up(detail)
                    : ProbeResult.down("GET " + READY + " answered HTTP " + status, detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.down("interrupted", detail);
        } catch (IOException e) {
            return new ProbeResult(HealthStatus.DOWN, "GET " + READY + " failed", e, detail);
        }
    }

    @Override
    public FailurePolicy failurePolicy() {
        return WeaviateFailures.POLICY;
    }

    @Override
    public void close() {
        connection.close();
    }
}
