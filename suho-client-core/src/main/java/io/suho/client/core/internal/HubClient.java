package io.suho.client.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Secret;
import io.suho.client.core.hub.Heartbeat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The SDK's client of the hub's {@code /v1} API on {@code java.net.http}: endpoints (once, and by long-poll),
 * instance registration, heartbeats and deregistration. Every request is bounded in time. Thread-safe.
 */
public final class HubClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Secret token;
    private final HttpClient http;

    public HubClient(URI base, Secret token, Duration connectTimeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public URI base() {
        return base;
    }

    /** {@code GET /v1/endpoints}. */
    public EndpointCatalog endpoints(Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("v1/endpoints", timeout).GET().build());
        expect(r, 200, "GET /v1/endpoints");
        return parse(r.body());
    }

    /**
     * {@code GET /v1/endpoints?version=V&waitSeconds=N}: returns the new catalog when it changed, empty when the
     * wait ended without a change.
     */
    public Optional<EndpointCatalog> awaitChange(long version, int waitSeconds) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("v1/endpoints?version=" + version + "&waitSeconds=" + waitSeconds,
                Duration.ofSeconds(waitSeconds + 5L)).GET().build());
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
        return id;
    }

    /**
     * {@code PUT /v1/instances/{id}/heartbeat}; returns false when the hub no longer knows the instance (lease
     * expired or hub restarted), so the caller registers again.
     */
    public boolean heartbeat(String instanceId, Heartbeat heartbeat, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(authorized(request("v1/instances/" + instanceId + "/heartbeat", timeout))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(heartbeat.toJson().toString())).build());
        if (r.statusCode() == 404) {
            return false;
        }
        expect(r, 200, "PUT /v1/instances/{id}/heartbeat");
        return true;
    }

    /** {@code DELETE /v1/instances/{id}}. */
    public void deregister(String instanceId, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = send(authorized(request("v1/instances/" + instanceId, timeout)).DELETE().build());
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

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status, String what) throws IOException {
        if (r.statusCode() != status && !(status == 204 && r.statusCode() == 200)) {
            String body = r.body() == null ? "" : r.body();
            throw new IOException("hub answered " + what + " with HTTP " + r.statusCode() + ": "
                    + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
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
