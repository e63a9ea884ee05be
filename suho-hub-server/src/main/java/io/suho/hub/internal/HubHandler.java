package io.suho.hub.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's HTTP API on Jetty's core {@link Handler} (no servlets): routes, strict input validation, bearer-token
 * checks for writes, JSON errors, the long-poll and a per-route request timer ({@code http.server.requests}).
 * Every refusal is a 4xx {@code {"error", "message"}}; an unexpected failure is a 500 with no stack trace.
 */
public final class HubHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(HubHandler.class);

    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]{1,253}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");
    private static final Set<String> BREAKER = Set.of("CLOSED", "HALF_OPEN", "OPEN");
    private static final String JSON_TYPE = "application/json";
    /** How much of an oversize body the hub reads and discards so the client sees its 413 (see {@link #drain}). */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    /** The collaborators the API serves from. */
    public record Deps(InstanceRegistry registry, EndpointPublisher endpoints, HealthView health,
            StatusPage statusPage, PrometheusMeterRegistry metrics, Secret token, int maxBodyBytes,
            int defaultTtl, int maxTtl, int maxWaitSeconds, BooleanSupplier ready) {
    }

    private final Deps deps;
    private final ObjectMapper json;
    private final byte[] tokenDigest;
    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final RegistryResponses responses;

    public HubHandler(Deps deps, ObjectMapper json) {
        this.deps = deps;
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.tokenDigest = deps.token() == null ? null : sha256(deps.token().reveal());
        this.meters = deps.metrics();
        this.responses = new RegistryResponses(deps.registry(), deps.health(), this.json);
    }

    /** Per-request state: where the timing and the response go. */
    private final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final long start = System.nanoTime();
        String route = "unmatched";

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void send(int status, String contentType, byte[] body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            if (body == null) {
                response.write(true, null, callback);
            } else {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
                response.write(true, ByteBuffer.wrap(body), callback);
            }
            timer(request.getMethod(), route, status).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }

        /** Sends a pre-serialized registry answer, or 304 when the client already holds it (If-None-Match). */
        void cached(RegistryResponses.Body body) {
            response.getHeaders().put(HttpHeader.ETAG, body.etag());
            if (notModified(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), body.etag())) {
                send(304, null, null);
            } else {
                send(200, JSON_TYPE, body.json());
            }
        }

        void json(int status, JsonNode body) {
            try {
                send(status, JSON_TYPE, json.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        void error(int status, String code, String message) {
            ObjectNode n = json.createObjectNode();
            n.put("error", code);
            n.put("message", message);
            json(status, n);
        }
    }

    /** Whether an If-None-Match header (a list of tags, or *) names {@code etag}; weak tags compare equal too. */
    static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private Timer timer(String method, String route, int status) {
        String m = switch (method) {
            case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH" -> method;
            default -> "OTHER";
        };
        return timers.computeIfAbsent(m + ' ' + route + ' ' + status, k -> Timer.builder("http.server.requests")
                .description("HTTP requests the hub served").tag("method", m).tag("uri", route)
                .tag("status", Integer.toString(status)).register(meters));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, callback);
        try {
            route(ex);
        } catch (ApiException e) {
            if (e.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"suho-hub\"");
            }
            ex.error(e.status(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("unexpected failure serving {} {}", request.getMethod(), ex.route, e);
            ex.error(500, "internal", "internal error; see the hub's log");
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------ routing

    private void route(Exchange ex) {
        String path = Request.getPathInContext(ex.request);
        if (path == null || !path.startsWith("/")) {
            throw ApiException.badRequest("invalid path");
        }
        String[] seg = path.length() == 1 ? new String[0] : path.substring(1).split("/", -1);
        String method = ex.request.getMethod();
        if (seg.length == 0) {
            ex.route = "/";
            allow(method, "GET");
            ex.send(200, "text/html; charset=utf-8", deps.statusPage().render().getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (seg.length == 1 && seg[0].equals("metrics")) {
            ex.route = "/metrics";
            allow(method, "GET");
            ex.send(200, "text/plain; version=0.0.4; charset=utf-8",
                    deps.metrics().scrape().getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!seg[0].equals("v1") || seg.length < 2) {
            throw ApiException.notFound("no such resource: " + abbreviate(path));
        }
        switch (seg[1]) {
            case "health" -> health(ex, seg, method);
            case "endpoints" -> {
                if (seg.length != 2) {
                    throw ApiException.notFound("no such resource: " + abbreviate(path));
                }
                ex.route = "/v1/endpoints";
                allow(method, "GET");
                endpoints(ex);
            }
            case "stores" -> {
                if (seg.length != 3) {
                    throw ApiException.notFound("no such resource: " + abbreviate(path));
                }
                ex.route = "/v1/stores/{store}";
                allow(method, "GET");
                noQuery(ex);
                Store store;
                try {
                    store = Store.fromId(seg[2]);
                } catch (IllegalArgumentException e) {
                    throw ApiException.notFound(e.getMessage());
                }
                ex.json(200, deps.health().store(store));
            }
            case "services" -> {
                if (seg.length == 2) {
                    ex.route = "/v1/services";
                    allow(method, "GET");
                    noQuery(ex);
                    ex.cached(responses.services());
                } else if (seg.length == 3) {
                    ex.route = "/v1/services/{name}";
                    allow(method, "GET");
                    noQuery(ex);
                    ex.cached(responses.service(name(seg[2], "service name")));
                } else {
                    throw ApiException.notFound("no such resource: " + abbreviate(path));
                }
            }
            case "instances" -> instances(ex, seg, method, path);
            default -> throw ApiException.notFound("no such resource: " + abbreviate(path));
        }
    }

    private void health(Exchange ex, String[] seg, String method) {
        if (seg.length == 2) {
            ex.route = "/v1/health";
            allow(method, "GET");
            noQuery(ex);
            ObjectNode body = deps.health().health();
            ex.json(deps.health().requiredUp() ? 200 : 503, body);
        } else if (seg.length == 3 && seg[2].equals("live")) {
            ex.route = "/v1/health/live";
            allow(method, "GET");
            ex.json(200, json.createObjectNode().put("status", "UP"));
        } else if (seg.length == 3 && seg[2].equals("ready")) {
            ex.route = "/v1/health/ready";
            allow(method, "GET");
            boolean ready = deps.ready().getAsBoolean();
            ObjectNode n = json.createObjectNode().put("status", ready ? "UP" : "DOWN");
            if (!ready) {
                n.put("reason", "first probe round not finished yet");
            }
            ex.json(ready ? 200 : 503, n);
        } else {
            throw ApiException.notFound("no such resource: /" + String.join("/", seg));
        }
    }

    private void instances(Exchange ex, String[] seg, String method, String path) {
        if (seg.length == 2) {
            ex.route = "/v1/instances";
            allow(method, "GET", "POST");
            if (method.equals("POST")) {
                register(ex);
                return;
            }
            String since = query(ex, Set.of("sinceVersion")).getValue("sinceVersion");
            ex.cached(since == null ? responses.all()
                    : responses.since(parseLong(since, "sinceVersion", 0, Long.MAX_VALUE)));
        } else if (seg.length == 3) {
            ex.route = "/v1/instances/{id}";
            allow(method, "GET", "DELETE");
            String id = id(seg[2]);
            if (method.equals("GET")) {
                Instance i = deps.registry().live(id).orElseThrow(() -> unknownInstance(id));
                ex.json(200, deps.health().instance(i));
            } else {
                authorize(ex);
                if (!deps.registry().deregister(id)) {
                    throw unknownInstance(id);
                }
                ex.send(204, null, null);
            }
        } else if (seg.length == 4 && seg[3].equals("heartbeat")) {
            ex.route = "/v1/instances/{id}/heartbeat";
            allow(method, "PUT");
            heartbeat(ex, id(seg[2]));
        } else {
            throw ApiException.notFound("no such resource: " + abbreviate(path));
        }
    }

    private static ApiException unknownInstance(String id) {
        return ApiException.notFound("instance '" + id + "' is not registered or its lease expired; register again");
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method) || method.equals("HEAD") && a.equals("GET")) {
                return;
            }
        }
        throw new ApiException(405, "method_not_allowed", method + " is not allowed here; allowed: "
                + String.join(", ", allowed));
    }

    // ----------------------------------------------------------------------------------------------- endpoints

    private void endpoints(Exchange ex) {
        Fields q = query(ex, Set.of("version", "waitSeconds"));
        String versionText = q.getValue("version");
        String waitText = q.getValue("waitSeconds");
        if (versionText == null) {
            if (waitText != null) {
                throw ApiException.badRequest("waitSeconds needs version (the catalog version you hold)");
            }
            sendCatalog(ex, deps.endpoints().current());
            return;
        }
        long version = parseLong(versionText, "version", 0, Long.MAX_VALUE);
        int wait = waitText == null ? 0 : (int) parseLong(waitText, "waitSeconds", 0, deps.maxWaitSeconds());
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
        ex.send(200, JSON_TYPE, s.json());
    }

    // ------------------------------------------------------------------------------------------------ writes

    private void register(Exchange ex) {
        authorize(ex);
        JsonNode body = body(ex, true);
        String service = name(text(body, "service", true), "service");
        String host = text(body, "host", true);
        if (!HOST.matcher(host).matches()) {
            throw ApiException.badRequest("host: '" + abbreviate(host) + "' is not a host name or IP address");
        }
        int port = (int) integer(body, "port", 0, 65535, null);
        int ttl = (int) integer(body, "ttlSeconds", 1, deps.maxTtl(), (long) deps.defaultTtl());
        Map<String, String> meta = new LinkedHashMap<>();
        JsonNode m = body.get("meta");
        if (m != null && !m.isNull()) {
            if (!m.isObject()) {
                throw ApiException.badRequest("meta: expected an object of strings");
            }
            if (m.size() > 32) {
                throw ApiException.badRequest("meta: at most 32 entries");
            }
            Iterator<Map.Entry<String, JsonNode>> it = m.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (!META_KEY.matcher(k).matches()) {
                    throw ApiException.badRequest("meta: key '" + abbreviate(k) + "' is invalid (letters, digits, "
                            + "._/-; up to 64)");
                }
                String lower = k.toLowerCase(Locale.ROOT);
                if (lower.contains("password") || lower.contains("secret") || lower.contains("token")) {
                    throw ApiException.badRequest("meta: key '" + k + "' looks like a credential; the hub stores "
                            + "no credentials");
                }
                if (!e.getValue().isTextual() || e.getValue().asText().length() > 256) {
                    throw ApiException.badRequest("meta." + k + ": expected a string of up to 256 characters");
                }
                meta.put(k, e.getValue().asText());
            }
        }
        Instance i = deps.registry().register(service, host, port, ttl, meta);
        ObjectNode out = json.createObjectNode();
        out.put("instanceId", i.id());
        out.put("leaseExpiresAt", i.leaseExpiresAt().toString());
        out.put("ttlSeconds", i.ttlSeconds());
        ex.response.getHeaders().put(HttpHeader.LOCATION, "/v1/instances/" + i.id());
        ex.json(201, out);
    }

    private void heartbeat(Exchange ex, String id) {
        authorize(ex);
        JsonNode body = body(ex, false);
        Map<Store, Instance.StoreReport> reports = null;
        JsonNode stores = body.get("stores");
        if (stores != null && !stores.isNull()) {
            if (!stores.isObject()) {
                throw ApiException.badRequest("stores: expected an object keyed by store id");
            }
            reports = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = stores.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Store store;
                try {
                    store = Store.fromId(e.getKey());
                } catch (IllegalArgumentException bad) {
                    throw ApiException.badRequest("stores: " + bad.getMessage());
                }
                JsonNode r = e.getValue();
                String where = "stores." + store.id();
                if (!r.isObject()) {
                    throw ApiException.badRequest(where + ": expected an object");
                }
                String breaker = text(r, "breaker", true, where + ".breaker");
                if (!BREAKER.contains(breaker)) {
                    throw ApiException.badRequest(where + ".breaker: expected CLOSED, HALF_OPEN or OPEN");
                }
                long calls = integer(r, "calls", 0, Long.MAX_VALUE, 0L, where + ".calls");
                double rate = 0.0;
                JsonNode er = r.get("errorRate");
                if (er != null && !er.isNull()) {
                    if (!er.isNumber() || er.asDouble() < 0 || er.asDouble() > 1 || Double.isNaN(er.asDouble())) {
                        throw ApiException.badRequest(where + ".errorRate: expected a number in 0..1");
                    }
                    rate = er.asDouble();
                }
                reports.put(store, new Instance.StoreReport(breaker, calls, rate));
            }
        }
        Instance i = deps.registry().heartbeat(id, reports).orElseThrow(() -> unknownInstance(id));
        ObjectNode out = json.createObjectNode();
        out.put("instanceId", i.id());
        out.put("leaseExpiresAt", i.leaseExpiresAt().toString());
        out.put("endpointsVersion", deps.endpoints().current().version());
        ex.json(200, out);
    }

    private void authorize(Exchange ex) {
        if (tokenDigest == null) {
            throw new ApiException(403, "read_only", "this hub runs read-only (no SUHO_HUB_TOKEN configured); "
                    + "registrations are refused");
        }
        String h = ex.request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "unauthorized", "writes need 'Authorization: Bearer <token>'");
        }
        // compare fixed-length digests in constant time, so timing reveals neither content nor length
        if (!MessageDigest.isEqual(tokenDigest, sha256(h.substring(7).trim()))) {
            throw new ApiException(401, "unauthorized", "the bearer token is not valid");
        }
    }

    // ------------------------------------------------------------------------------------------------ input

    private JsonNode body(Exchange ex, boolean required) {
        String type = ex.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        long declared = ex.request.getLength();
        if (declared > deps.maxBodyBytes()) {
            drain(ex);
            throw new ApiException(413, "payload_too_large", "request body is " + declared + " bytes; the limit is "
                    + deps.maxBodyBytes());
        }
        byte[] bytes;
        try (InputStream in = Request.asInputStream(ex.request)) {
            bytes = in.readNBytes(deps.maxBodyBytes() + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getClass().getSimpleName());
        }
        if (bytes.length > deps.maxBodyBytes()) {
            drain(ex);
            throw new ApiException(413, "payload_too_large", "request body exceeds the limit of "
                    + deps.maxBodyBytes() + " bytes");
        }
        if (bytes.length == 0) {
            if (required) {
                throw ApiException.badRequest("a JSON body is required");
            }
            return json.createObjectNode();
        }
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith(JSON_TYPE)) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type must be application/json");
        }
        JsonNode n;
        try {
            n = json.readTree(bytes);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : "unreadable";
            throw ApiException.badRequest("body is not valid JSON: " + abbreviate(msg));
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        return n;
    }

    /**
     * Reads and discards what is left of an oversize body, up to {@link #DRAIN_LIMIT} bytes, so a client that is
     * still writing it gets the 413 instead of a connection reset (a server that answers early and closes makes
     * most HTTP clients report "no response"). A body beyond that bound is not worth reading: the connection is
     * closed after the answer, as before.
     */
    private static void drain(Exchange ex) {
        try (InputStream in = Request.asInputStream(ex.request)) {
            long left = DRAIN_LIMIT;
            byte[] sink = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client gave up or the connection broke: nothing left to protect, the answer may still reach it
        }
    }

    private static String text(JsonNode body, String field, boolean required) {
        return text(body, field, required, field);
    }

    private static String text(JsonNode body, String field, boolean required, String where) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest(where + ": required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(where + ": expected a string, got " + v.getNodeType().name().toLowerCase(
                    Locale.ROOT));
        }
        return v.asText();
    }

    private static long integer(JsonNode body, String field, long min, long max, Long def) {
        return integer(body, field, min, max, def, field);
    }

    private static long integer(JsonNode body, String field, long min, long max, Long def, String where) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw ApiException.badRequest(where + ": required");
            }
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw ApiException.badRequest(where + ": expected a whole number in " + min + ".." + max);
        }
        return v.asLong();
    }

    private static String name(String s, String what) {
        if (s == null || !SERVICE.matcher(s).matches()) {
            throw ApiException.badRequest(what + ": '" + abbreviate(String.valueOf(s)) + "' is invalid (letters, "
                    + "digits, '.', '_', '-'; 1 to 64, starting with a letter or digit)");
        }
        return s;
    }

    private static String id(String s) {
        if (!ID.matcher(s).matches()) {
            throw ApiException.badRequest("instance id '" + abbreviate(s) + "' is invalid");
        }
        return s;
    }

    private static Fields query(Exchange ex, Set<String> allowed) {
        Fields q;
        try {
            q = Request.extractQueryParameters(ex.request);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("query string is malformed");
        }
        for (String name : q.getNames()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown query parameter '" + abbreviate(name) + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            List<String> values = q.getValues(name);
            if (values.size() > 1) {
                throw ApiException.badRequest("query parameter '" + name + "' is given more than once");
            }
        }
        return q;
    }

    private static void noQuery(Exchange ex) {
        query(ex, Set.of());
    }

    private static long parseLong(String text, String name, long min, long max) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": '" + abbreviate(text) + "' is not a whole number in " + min + ".."
                    + max);
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
