package io.suho.client.vector.internal;

import io.weaviate.client6.v1.api.Authentication;
import io.weaviate.client6.v1.api.WeaviateClient;
import io.weaviate.client6.v1.api.WeaviateConnectException;
import io.weaviate.client6.v1.api.collections.CollectionHandle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one {@link WeaviateClient} of a runtime and opens it on first use: client6's constructor talks to the
 * server ({@code /v1/.well-known/live}, {@code /v1/meta}), and an application must start while Weaviate is down.
 * A failed open is retried by the next call and is a {@link WeaviateConnectException} (the call was not sent). Before
 * opening, a bounded liveness check runs with the JDK client because client6 leaves the HTTP connect timeout at its
 * 3-minute default. Collection handles are cached per name.
 * Thread-safe.
 */
public final class WeaviateConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeaviateConnection.class);

    private final WeaviateSettings settings;
    private final HttpClient http;
    private final TrustManagerFactory trust;
    private final Map<String, CollectionHandle<Map<String, Object>>> handles = new ConcurrentHashMap<>();
    private volatile WeaviateClient client;
    private volatile boolean closed;

    /**
     * @param http the JDK client of the liveness check, configured with the same trust as {@code trust}
     * @param trust trust for client6's REST and gRPC transports (the configured CA), or {@code null} for the JVM's
     */
    public WeaviateConnection(WeaviateSettings settings, HttpClient http, @Nullable TrustManagerFactory trust) {
        this.settings = settings;
        this.http = http;
        this.trust = trust;
    }

    /** The open client, opening it now if needed. */
    public WeaviateClient client() throws InterruptedException {
        WeaviateClient c = client;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the vector client is closed");
            }
            if (client == null) {
                checkLive();
                client = open(settings, trust);
                LOG.info("Connected to Weaviate at {} (gRPC {}:{})", settings.baseUrl(), settings.grpcHost(),
                        settings.grpcPort());
            }
            return client;
        }
    }

    /** The cached handle of a collection (properties as maps). */
    public CollectionHandle<Map<String, Object>> collection(String name) throws InterruptedException {
        CollectionHandle<Map<String, Object>> h = handles.get(name);
        if (h != null) {
            return h;
        }
        WeaviateClient c = client();
        return handles.computeIfAbsent(name, c.collections::use);
    }

    /**
     * Fails with {@link WeaviateConnectException} when Weaviate is not live, a timeout included: no request of the
     * caller has left yet, so whatever goes wrong here means "not sent".
     */
    private void checkLive() throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/v1/.well-known/live"))
                .timeout(settings.timeout()).GET().build();
        HttpResponse<Void> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new WeaviateConnectException("Weaviate at " + settings.baseUrl() + " is not reachable: " + e, e);
        }
        if (r.statusCode() >= 500) {
            throw new WeaviateConnectException("Weaviate at " + settings.baseUrl() + " is not live (HTTP "
                    + r.statusCode() + ")");
        }
    }

    static WeaviateClient open(WeaviateSettings s, @Nullable TrustManagerFactory trust) {
        int t = s.timeoutSeconds();
        return WeaviateClient.connectToCustom(c -> {
            // scheme() resets both ports to 80/443, so it goes first
            c.scheme(s.tls() ? "https" : "http")
                    .httpHost(s.host()).httpPort(s.httpPort())
                    .grpcHost(s.grpcHost()).grpcPort(s.grpcPort())
                    .timeout(t, t, t);
            s.apiKey().ifPresent(k -> c.authentication(Authentication.apiKey(k.reveal())));
            if (trust != null) {
                c.trustManagerFactory(trust); // REST (Apache HttpClient) and gRPC (Netty) both verify against it
            }
            return c;
        });
    }

    /** Whether the client has been opened. */
    public boolean isOpen() {
        return client != null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        WeaviateClient c = client;
        client = null;
        handles.clear();
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Closing the Weaviate client failed: {}", e.toString());
            }
        }
    }
}
