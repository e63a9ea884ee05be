package io.suho.client.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Secret;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.hub.HubLease;
import io.suho.client.core.hub.HubRefusedException;
import io.suho.client.core.hub.HubRegistration;
import io.suho.client.core.hub.HubTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The SDK's client of the hub's {@code /v1} API on {@code java.net.http}: endpoints (once, and by long-poll),
 * instance registration, heartbeats and deregistration. Every request is bounded in time. Registration presents
 * the shared write token and gets back a per-instance lease secret; heartbeats and deregistration present that
 * secret ({@code X-Suho-Lease-Secret}), so the shared token alone cannot renew or delete someone else's instance.
 * Reads present the read token when one is set. Over {@code https://} the hub's certificate is verified (host name
 * included) against the given {@link SSLContext} or the JVM's trust store. It is the built-in {@code http}
 * {@link HubTransport}: a 4xx answer is a {@link HubRefusedException}, a 5xx or a network failure a plain
 * {@link IOException}. Thread-safe.
 */
public final class HubClient implements HubTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The header carrying an instance's lease secret on heartbeat and deregistration. */
    public static final String LEASE_SECRET_HEADER = "X-Suho-Lease-Secret";

    /** What a registration returns: the instance id and the secret its heartbeats and deregistration present. */
    public record Lease(String instanceId, Secret secret) {
    }

    private final URI base;
    private final Secret token;
    private final Secret readToken;
    private final HttpClient http;

    public HubClient(URI base, Secret token, Duration connectTimeout) {
        this(base, token, null, null, connectTimeout);
    }

    /**
     * @param token the write token (registration), or {@code null}
     * @param readToken the token reads present, or {@code null} for {@code token}
     * @param ssl trust for an {@code https://} hub, or {@code null} for the JVM's default trust store
     */
    public HubClient(URI base, Secret token, Secret readToken, SSLContext ssl, Duration connectTimeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.token = token;
        this.readToken = readToken != null ? readToken : token;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    public URI base() {
        return base;
    }

    @Override
    public URI uri() {
        return base;
    }

    @Override
    public Optional<EndpointCatalog> awaitChange(long version, Duration wait) throws IOException, InterruptedException {
        return awaitChange(version, (int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toSeconds())));
    }

    @Override
    public HubLease register(HubRegistration registration, Duration timeout) throws IOException, InterruptedException {
        Lease l = registerLease(registration.service(), registration.host(), registration.port(),
                registration.ttlSeconds(), registration.meta(), timeout);
        return new HubLease(l.instanceId(), l.secret());
    }

    @Override
    public boolean heartbeat(HubLease lease, Heartbeat heartbeat, Duration timeout)
            throws IOException, InterruptedException {
        return heartbeat(new Lease(lease.instanceId(), lease.secret()), heartbeat, timeout);
    }

    @Override
    public void deregister(HubLease lease, Duration timeout) throws IOException, InterruptedException {
        deregister(new Lease(lease.instanceId(), lease.secret()), timeout);
    }

    /** Nothing to release: {@code java.net.http} closes idle connections itself (its {@code close()} is Java 21). */
    @Override
    public void close() {
    }

    /** {@code GET /v1/endpoints}. */
    public EndpointCatalog endpoints(Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = send(read(request("v1/endpoints", timeout)).GET().build());
        expect(r, 200, "GET /v1/endpoints");
        return parse(r.body());
    }

    /**
     * {@code GET /v1/endpoints?version=V&waitSeconds=N}: returns the new catalog when it changed, empty when the
     * wait ended without a change.
     */
    public Optional<EndpointCatalog> awaitChange(long version, int waitSeconds) throws IOException, InterruptedException {
        HttpResponse<String> r = send(read(request("v1/endpoints?version=" + version + "&waitSeconds=" + waitSeconds,
                Duration.ofSeconds(waitSeconds + 5L))).GET().build());
        if (r.statusCode() == 304) {
            return Optional.empty();
        }
        expect(r, 200, "GET /v1/endpoints (long-poll)");
        EndpointCatalog c = parse(r.body());
        return c.version() == version ? Optional.empty() : Optional.of(c);
    }

    /** {@code POST /v1/instances}: returns the instance id. */
    public String register(String service, String host, int port, int ttlSeconds, Map<String, String> meta,
            Duration timeout) throws IOException, InterruptedException {
        return registerLease(service, host, port, ttlSeconds, meta, timeout).instanceId();
    }

    /** {@code POST /v1/instances}: returns the instance id and its lease secret. */
    public Lease registerLease(String service, String host, int port, int ttlSeconds, Map<String, String> meta,
            Duration timeout) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("service", service).put("host", host).put("port", port).put("ttlSeconds", ttlSeconds);
        ObjectNode m = body.putObject("meta");
        meta.forEach(m::put);
        HttpResponse<String> r = send(authorized(request("v1/instances", timeout))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        expect(r, 201, "POST /v1/instances");
        JsonNode n = JSON.readTree(r.body());
        String id = n.path("instanceId").asText(null);
        if (id == null) {
            throw new IOException("hub answered POST /v1/instances without an instanceId");
        }
        String secret = n.path("leaseSecret").asText(null);
        return new Lease(id, secret == null ? null : Secret.of(secret));
    }

    /**
     * {@code PUT /v1/instances/{id}/heartbeat}; returns false when the hub no longer knows the instance (lease
     * expired or hub restarted), so the caller registers again.
     */
    public boolean heartbeat(String instanceId, Heartbeat heartbeat, Duration timeout)
            throws IOException, InterruptedException {
        return heartbeat(new Lease(instanceId, null), heartbeat, timeout);
    }

    /**
     * {@code PUT /v1/instances/{id}/heartbeat} with the lease secret; false when the hub no longer knows the
     * instance or refuses its secret (a restarted hub may have given the id to no one), so the caller registers
     * again.
     */
    public boolean heartbeat(Lease lease, Heartbeat heartbeat, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(leased(request("v1/instances/" + lease.instanceId() + "/heartbeat", timeout),
                lease)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(heartbeat.toJson().toString())).build());
        if (r.statusCode() == 404 || r.statusCode() == 403 && lease.secret() != null) {
            return false;
        }
        expect(r, 200, "PUT /v1/instances/{id}/heartbeat");
        return true;
    }

    /** {@code DELETE /v1/instances/{id}}. */
    public void deregister(String instanceId, Duration timeout) throws IOException, InterruptedException {
        deregister(new Lease(instanceId, null), timeout);
    }

    /** {@code DELETE /v1/instances/{id}} with the lease secret. */
    public void deregister(Lease lease, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = send(leased(request("v1/instances/" + lease.instanceId(), timeout), lease)
                .DELETE().build());
        if (r.statusCode() != 404) {
            expect(r, 204, "DELETE /v1/instances/{id}");
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json");
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return token == null ? b : b.header("Authorization", "Bearer " + token.reveal());
    }

    private HttpRequest.Builder read(HttpRequest.Builder b) {
        return readToken == null ? b : b.header("Authorization", "Bearer " + readToken.reveal());
    }

    /** The lease secret when there is one; a hub of an older release that issued none gets the write token. */
    private HttpRequest.Builder leased(HttpRequest.Builder b, Lease lease) {
        return lease.secret() == null ? authorized(b) : b.header(LEASE_SECRET_HEADER, lease.secret().reveal());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status, String what) throws IOException {
        if (r.statusCode() != status && !(status == 204 && r.statusCode() == 200)) {
            String body = r.body() == null ? "" : r.body();
            String message = "hub answered " + what + " with HTTP " + r.statusCode() + ": "
                    + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
            if (r.statusCode() >= 400 && r.statusCode() < 500) {
                throw new HubRefusedException(r.statusCode(), message);
            }
            throw new IOException(message);
        }
    }

    private static EndpointCatalog parse(String body) throws IOException {
        try {
            return EndpointCatalog.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new IOException("hub sent an invalid endpoint catalog: " + e.getMessage(), e);
        }
    }
}
