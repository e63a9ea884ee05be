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
 *
 * <p>Non-blocking: a request without a body (every read, the long-poll, a plain heartbeat) is answered on the thread
 * that parsed it — on a small machine that saves a hand-off to a pool thread per request, which is most of a
 * cached read's cost. A request with a body (whose read may block) and the status page and {@code /metrics} (which
 * take milliseconds of CPU) are handed to the server's pool, so they never hold up the I/O threads.
 */
public final class HubHandler extends Handler.Abstract.NonBlocking {
    private static final Logger log = LoggerFactory.getLogger(HubHandler.class);

    /** The collaborators the API serves from. */
    public record Deps(InstanceRegistry registry, EndpointPublisher endpoints, HealthView health,
            StatusPage statusPage, PrometheusMeterRegistry metrics, Secret token, int maxBodyBytes,
            int defaultTtl, int maxTtl, int maxWaitSeconds, BooleanSupplier ready, Secret readToken,
            long idleTimeoutMs, boolean tls, boolean clientCertificateForWrites, Secret previousToken) {

        /** Without a read token, an idle timeout of 30 s, plain HTTP. */
        public Deps(InstanceRegistry registry, EndpointPublisher endpoints, HealthView health,
                StatusPage statusPage, PrometheusMeterRegistry metrics, Secret token, int maxBodyBytes,
                int defaultTtl, int maxTtl, int maxWaitSeconds, BooleanSupplier ready) {
            this(registry, endpoints, health, statusPage, metrics, token, maxBodyBytes, defaultTtl, maxTtl,
                    maxWaitSeconds, ready, null, 30_000, false, false, null);
        }
    }

    /** The header carrying an instance's lease secret on heartbeat and deregistration. */
    static final String LEASE_SECRET_HEADER = "X-Suho-Lease-Secret";

    private final Deps deps;
    private final RequestInput input;
    private final ObjectMapper json;
    private final BearerAuth auth;
    private final BearerAuth readAuth;
    private final RequestTimers timers;
    private final RegistryResponses responses;
    private final RouteTable routes;

    public HubHandler(Deps deps, ObjectMapper json) {
        this.deps = deps;
        this.input = new RequestInput(json, deps.maxBodyBytes());
        this.json = input.json();
        this.auth = new BearerAuth(deps.token(), deps.previousToken());
        this.readAuth = deps.readToken() == null ? null : new BearerAuth(deps.readToken());
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
        if (mayBlock(request)) {
            request.getContext().execute(() -> serve(request, response, callback));
        } else {
            serve(request, response, callback);
        }
        return true;
    }

    /**
     * A body to read (may block), or a route whose answer is built per request from the whole registry or the
     * meters (status page, metrics, health detail, store view). Cached reads, the long-poll, one instance and the
     * live/ready checks stay on the I/O thread.
     */
    private static boolean mayBlock(Request request) {
        if (RequestInput.hasBody(request)) {
            return true;
        }
        String path = request.getHttpURI().getPath();
        return path == null || !(path.startsWith("/v1/services") || path.startsWith("/v1/instances")
                || path.startsWith("/v1/endpoints") || path.startsWith("/v1/health/"));
    }

    private void serve(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, callback, json, timers);
        securityHeaders(response);
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
    }

    /**
     * On every answer: no MIME sniffing, no framing, no referrer, a content policy that allows the status page's
     * inline style and nothing else, and HSTS when served over TLS.
     */
    private void securityHeaders(Response response) {
        var h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none';"
                + " base-uri 'none'; form-action 'none'");
        if (deps.tls()) {
            h.put("Strict-Transport-Security", "max-age=31536000");
        }
    }

    /** True when reads are open or the request presents the read (or write) token. */
    private boolean mayRead(Exchange ex) {
        if (readAuth == null) {
            return true;
        }
        String h = ex.request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return readAuth.accepts(h) || auth.accepts(h);
    }

    /** Refuses a read without the read token when one is configured. */
    private void authorizeRead(Exchange ex) {
        if (!mayRead(ex)) {
            throw new ApiException(401, "unauthorized", "this hub requires 'Authorization: Bearer <read token>'"
                    + " (SUHO_HUB_READ_TOKEN) for reads");
        }
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
        boolean up = deps.health().requiredUp();
        if (!mayRead(ex)) {
            // the status only: store addresses, versions and instance counts are detail for token holders
            ex.json(up ? 200 : 503, json.createObjectNode().put("status", deps.health().health().path("status")
                    .asText()));
            return;
        }
        ObjectNode body = deps.health().health();
        ex.json(up ? 200 : 503, body);
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
        authorizeRead(ex);
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
        authorizeRead(ex);
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
        var endPoint = ex.request.getConnectionMetaData().getConnection().getEndPoint();
        if (wait > 0) {
            // a waiting long-poll outlives the short idle timeout of ordinary requests, and only it does
            endPoint.setIdleTimeout((wait + 15L) * 1000);
        }
        java.util.function.BooleanSupplier[] release = new java.util.function.BooleanSupplier[1];
        // a client that goes away frees its slot now, not when its wait would have run out
        java.util.function.Consumer<Throwable> gone = failure -> {
            if (release[0] != null && release[0].getAsBoolean()) {
                endPoint.setIdleTimeout(deps.idleTimeoutMs());
                ex.abort(failure);
            }
        };
        DisconnectWatch watch = DisconnectWatch.of(endPoint, gone);
        release[0] = deps.endpoints().await(version, wait, clientOf(ex), snapshot -> {
            watch.stop();
            endPoint.setIdleTimeout(deps.idleTimeoutMs());
            if (snapshot == null) {
                ex.send(304, null, null);
            } else {
                sendCatalog(ex, snapshot);
            }
        });
        ex.request.addFailureListener(gone);
        watch.register(); // no-op when the answer was already sent
    }

    /** The client's address: the unit of the per-client long-poll cap. */
    private static String clientOf(Exchange ex) {
        var remote = ex.request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof java.net.InetSocketAddress isa && isa.getAddress() != null) {
            return isa.getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }

    private static void sendCatalog(Exchange ex, EndpointPublisher.Snapshot s) {
        ex.response.getHeaders().put(HttpHeader.ETAG, "\"" + s.version() + "\"");
        ex.send(200, Exchange.JSON_TYPE, s.json());
    }

    // ------------------------------------------------------------------------------------------------ registry

    private void services(Exchange ex) {
        RequestInput.noQuery(ex);
        authorizeRead(ex);
        ex.cached(responses.services());
    }

    private void service(Exchange ex) {
        RequestInput.noQuery(ex);
        authorizeRead(ex);
        ex.cached(responses.service(RequestInput.serviceName(ex.param("name"), "service name")));
    }

    private void instances(Exchange ex) {
        authorizeRead(ex);
        String since = RequestInput.query(ex, Set.of("sinceVersion")).getValue("sinceVersion");
        ex.cached(since == null ? responses.all()
                : responses.since(RequestInput.parseLong(since, "sinceVersion", 0, Long.MAX_VALUE)));
    }

    private void instance(Exchange ex) {
        authorizeRead(ex);
        String id = RequestInput.instanceId(ex.param("id"));
        Instance i = deps.registry().live(id).orElseThrow(() -> unknownInstance(id));
        ex.json(200, deps.health().instance(i));
    }

    private void register(Exchange ex) {
        authorize(ex);
        if (deps.clientCertificateForWrites()) {
            Object ssl = ex.request.getAttribute(org.eclipse.jetty.io.EndPoint.SslSessionData.ATTRIBUTE);
            if (!(ssl instanceof org.eclipse.jetty.io.EndPoint.SslSessionData d) || d.peerCertificates() == null
                    || d.peerCertificates().length == 0) {
                throw new ApiException(403, "client_certificate_required", "registration needs a client certificate"
                        + " signed by the hub's SUHO_HUB_TLS_CLIENT_CA (mutual TLS)");
            }
        }
        Registration r = Registration.parse(input.body(ex, true), deps.defaultTtl(), deps.maxTtl());
        InstanceRegistry.Lease lease = deps.registry().lease(r.service(), r.host(), r.port(), r.ttlSeconds(),
                r.meta());
        Instance i = lease.instance();
        ObjectNode out = json.createObjectNode();
        out.put("instanceId", i.id());
        out.put("leaseSecret", lease.secret());
        out.put("leaseExpiresAt", i.leaseExpiresAt().toString());
        out.put("ttlSeconds", i.ttlSeconds());
        ex.response.getHeaders().put(HttpHeader.LOCATION, "/v1/instances/" + i.id());
        ex.json(201, out);
    }

    private void heartbeat(Exchange ex) {
        String id = RequestInput.instanceId(ex.param("id"));
        authorizeLease(ex, id);
        Heartbeat heartbeat;
        if (!RequestInput.hasBody(ex.request)) {
            heartbeat = Heartbeat.leaseOnly(); // what an empty body means, without a parser
        } else {
            try {
                heartbeat = Heartbeat.fromJson(input.body(ex, false));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        Instance i = deps.registry().heartbeat(id, heartbeat).orElseThrow(() -> unknownInstance(id));
        // written by hand: the id passed RequestInput.instanceId ([A-Za-z0-9-]) and an Instant prints no quotes
        String out = "{\"instanceId\":\"" + i.id() + "\",\"leaseExpiresAt\":\"" + i.leaseExpiresAt()
                + "\",\"endpointsVersion\":" + deps.endpoints().current().version() + "}";
        ex.send(200, Exchange.JSON_TYPE, out.getBytes(StandardCharsets.US_ASCII));
    }

    private void deregister(Exchange ex) {
        String id = RequestInput.instanceId(ex.param("id"));
        authorizeLease(ex, id);
        if (!deps.registry().deregister(id)) {
            throw unknownInstance(id);
        }
        ex.send(204, null, null);
    }

    private void authorize(Exchange ex) {
        auth.authorize(ex.request.getHeaders().get(HttpHeader.AUTHORIZATION));
    }

    /**
     * Heartbeat and deregistration: the instance's own lease secret (from its registration), not the shared
     * token, so one token holder cannot renew or delete another's instance. 404 for an unknown instance (its
     * client registers again), 403 for a missing or wrong secret.
     */
    private void authorizeLease(Exchange ex, String id) {
        Instance i = deps.registry().live(id).orElseThrow(() -> unknownInstance(id));
        if (!i.secretMatches(ex.request.getHeaders().get(LEASE_SECRET_HEADER))) {
            throw new ApiException(403, "forbidden", "heartbeat and deregistration need the instance's lease secret"
                    + " (header " + LEASE_SECRET_HEADER + ", returned by POST /v1/instances)");
        }
    }

    private static ApiException unknownInstance(String id) {
        return ApiException.notFound("instance '" + id + "' is not registered or its lease expired; register again");
    }
}
