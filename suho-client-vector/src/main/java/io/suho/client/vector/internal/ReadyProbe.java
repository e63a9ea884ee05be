package io.suho.client.vector.internal;

import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks Weaviate's readiness with {@code GET /v1/.well-known/ready} (200 = ready, 503 = starting or shutting down),
 * bounded by the store timeout. Uses the JDK HTTP client so health works before, and independently of, the data
 * connection. Never throws.
 */
public final class ReadyProbe {
    private final HttpClient http;
    private final WeaviateSettings settings;
    private final URI uri;

    public ReadyProbe(HttpClient http, WeaviateSettings settings) {
        this.http = http;
        this.settings = settings;
        this.uri = URI.create(settings.baseUrl() + "/v1/.well-known/ready");
    }

    public StoreHealth check() {
        long start = System.nanoTime();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("url", settings.baseUrl());
        try {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET().build();
            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            detail.put("status", r.statusCode());
            if (r.statusCode() == 200) {
                return StoreHealth.up(Store.VECTOR, took, detail);
            }
            return StoreHealth.down(Store.VECTOR, took, "GET /v1/.well-known/ready answered HTTP " + r.statusCode(),
                    detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StoreHealth.down(Store.VECTOR, Duration.ofNanos(System.nanoTime() - start), "interrupted", detail);
        } catch (Exception e) {
            return StoreHealth.down(Store.VECTOR, Duration.ofNanos(System.nanoTime() - start),
                    "GET /v1/.well-known/ready failed: " + e, detail);
        }
    }
}
