package io.suho.hub.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.hub.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's HTTP API on Jetty's core {@link Handler} (no servlets). The constructor lists every route in one
 * {@link RouteTable}; each route reads its input through {@link RequestInput} and the request records
 * ({@link Registration}, {@link Heartbeat}), checks writes with {@link BearerAuth} and answers from the registry,
 * the endpoint publisher or the health view. Every refusal is a 4xx {@code {"error", "message"}}; an unexpected
 * failure is a 500 with no stack trace. Each answer is timed per route ({@code http.server.requests}). Thread-safe.
 */
public final class HubHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(HubHandler.class);

    /** The collaborators the API serves from. */
    public record Deps(InstanceRegistry registry, EndpointPublisher endpoints, HealthView health,
            StatusPage statusPage, PrometheusMeterRegistry metrics, Secret token, int maxBodyBytes,
            int defaultTtl, int maxTtl, int maxWaitSeconds, BooleanSupplier ready) {
    }

    private final Deps deps;
    private final RequestInput input;
    private final ObjectMapper json;
    private final BearerAuth auth;
    private final RequestTimers timers;
    private final RegistryResponses responses;
    private final RouteTable routes;

    public HubHandler(Deps deps, ObjectMapper json) {
        this.deps = deps;
        this.input = new RequestInput(json, deps.maxBodyBytes());
        this.json = input.json();
        this.auth = new BearerAuth(deps.token());
        this.timers = new RequestTimers(deps.metrics());
        this.responses = new RegistryResponses(deps.registry(), deps.health(), this.json);
        this.routes = new RouteTable()
                .add("GET", "/", this::statusPage)
                .add("GET", "/metrics", this::metrics)
                .add("GET", "/v1/health", this::health)
                .add("GET", "/v1/health/live", this::live)
                .add("GET", "/v1/health/ready", this::ready)
                .add("GET", "/v1/endpoints", this::endpoints)
                .add("GET", "/v1/stores/{store}", this::store)
                .add("GET", "/v1/services", this::services)
                .add("GET", "/v1/services/{name}", this::service)
                .add("GET", "/v1/instances", this::instances)
                .add("POST", "/v1/instances", this::register)
                .add("GET", "/v1/instances/{id}", this::instance)
                .add("DELETE", "/v1/instances/{id}", this::deregister)
                .add("PUT", "/v1/instances/{id}/heartbeat", this::heartbeat);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, callback, json, timers);
        try {
            String path = Request.getPathInContext(request);
            if (path == null || !path.startsWith("/")) {
                throw ApiException.badRequest("invalid path");
            }
            routes.serve(request.getMethod(), path, ex);
        } catch (ApiException e) {
            if (e.status() != 413 && request.getLength() != 0) {
                RequestInput.drain(ex); // a body left unread (e.g. refused before reading it) would reset the connection
            }
            if (e.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"suho-hub\"");
            }
            ex.error(e.status(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("unexpected failure serving {} {}", request.getMethod(), ex.route(), e);
            ex.error(500, "internal", "internal error; see the hub's log");
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------ pages

    private void statusPage(Exchange ex) {
        ex.send(200, "text/html; charset=utf-8", deps.statusPage().render().getBytes(StandardCharsets.UTF_8));
    }

    private void metrics(Exchange ex) {
        ex.send(200, "text/plain; version=0.0.4; charset=utf-8",
                deps.metrics().scrape().getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------ health

    private void health(Exchange ex) {
        RequestInput.noQuery(ex);
        ObjectNode body = deps.health().health();
        ex.json(deps.health().requiredUp() ? 200 : 503, body);
    }

    private void live(Exchange ex) {
        ex.json(200, json.createObjectNode().put("status", "UP"));
    }

    private void ready(Exchange ex) {
        boolean ready = deps.ready().getAsBoolean();
        ObjectNode n = json.createObjectNode().put("status", ready ? "UP" : "DOWN");
        if (!ready) {
            n.put("reason", "first probe round not finished yet");
        }
        ex.json(ready ? 200 : 503, n);
    }

    private void store(Exchange ex) {
        RequestInput.noQuery(ex);
        Store store;
        try {
            store = Store.fromId(ex.param("store"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage());
        }
        ex.json(200, deps.health().store(store));
    }

    // ----------------------------------------------------------------------------------------------- endpoints

    /** The catalog now, or by long-poll: with {@code version} (and {@code waitSeconds}) it answers once it changed. */
    private void endpoints(Exchange ex) {
        Fields q = RequestInput.query(ex, Set.of("version", "waitSeconds"));
        String versionText = q.getValue("version");
        String waitText = q.getValue("waitSeconds");
        if (versionText == null) {
            if (waitText != null) {
                throw ApiException.badRequest("waitSeconds needs version (the catalog version you hold)");
            }
            sendCatalog(ex, deps.endpoints().current());
            return;
        }
        long version = RequestInput.parseLong(versionText, "version", 0, Long.MAX_VALUE);
        int wait = waitText == null ? 0
                : (int) RequestInput.parseLong(waitText, "waitSeconds", 0, deps.maxWaitSeconds());
        deps.endpoints().await(version, wait, snapshot -> {
            if (snapshot == null) {
                ex.send(304, null, null);
            } else {
                sendCatalog(ex, snapshot);
            }
        });
    }

    private static void sendCatalog(Exchange ex, EndpointPublisher.Snapshot s) {
        ex.response.getHeaders().put(HttpHeader.ETAG, "\"" + s.version() + "\"");
        ex.send(200, Exchange.JSON_TYPE, s.json());
    }

    // ------------------------------------------------------------------------------------------------ registry

    private void services(Exchange ex) {
        RequestInput.noQuery(ex);
        ex.cached(responses.services());
    }

    private void service(Exchange ex) {
        RequestInput.noQuery(ex);
        ex.cached(responses.service(RequestInput.serviceName(ex.param("name"), "service name")));
    }

    private void instances(Exchange ex) {
        String since = RequestInput.query(ex, Set.of("sinceVersion")).getValue("sinceVersion");
        ex.cached(since == null ? responses.all()
                : responses.since(RequestInput.parseLong(since, "sinceVersion", 0, Long.MAX_VALUE)));
    }

    private void instance(Exchange ex) {
        String id = RequestInput.instanceId(ex.param("id"));
        Instance i = deps.registry().live(id).orElseThrow(() -> unknownInstance(id));
        ex.json(200, deps.health().instance(i));
    }

    private void register(Exchange ex) {
        authorize(ex);
        Registration r = Registration.parse(input.body(ex, true), deps.defaultTtl(), deps.maxTtl());
        Instance i = deps.registry().register(r.service(), r.host(), r.port(), r.ttlSeconds(), r.meta());
        ObjectNode out = json.createObjectNode();
        out.put("instanceId", i.id());
        out.put("leaseExpiresAt", i.leaseExpiresAt().toString());
        out.put("ttlSeconds", i.ttlSeconds());
        ex.response.getHeaders().put(HttpHeader.LOCATION, "/v1/instances/" + i.id());
        ex.json(201, out);
    }

    private void heartbeat(Exchange ex) {
        String id = RequestInput.instanceId(ex.param("id"));
        authorize(ex);
        Heartbeat heartbeat;
        try {
            heartbeat = Heartbeat.fromJson(input.body(ex, false));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Instance i = deps.registry().heartbeat(id, heartbeat).orElseThrow(() -> unknownInstance(id));
        ObjectNode out = json.createObjectNode();
        out.put("instanceId", i.id());
        out.put("leaseExpiresAt", i.leaseExpiresAt().toString());
        out.put("endpointsVersion", deps.endpoints().current().version());
        ex.json(200, out);
    }

    private void deregister(Exchange ex) {
        String id = RequestInput.instanceId(ex.param("id"));
        authorize(ex);
        if (!deps.registry().deregister(id)) {
            throw unknownInstance(id);
        }
        ex.send(204, null, null);
    }

    private void authorize(Exchange ex) {
        auth.authorize(ex.request.getHeaders().get(HttpHeader.AUTHORIZATION));
    }

    private static ApiException unknownInstance(String id) {
        return ApiException.notFound("instance '" + id + "' is not registered or its lease expired; register again");
    }
}
