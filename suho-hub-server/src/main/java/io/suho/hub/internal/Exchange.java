package io.suho.hub.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request in flight: what was asked, the route it matched (with its path parameters), and the ways to answer
 * it. Every answer is {@code Cache-Control: no-store} and is timed under its route. Used by one thread at a time
 * (a long-poll may answer from another thread, after the handler returned).
 */
final class Exchange {
    static final String JSON_TYPE = "application/json";

    final Request request;
    final Response response;
    private final Callback callback;
    private final ObjectMapper json;
    private final RequestTimers timers;
    private final long start = System.nanoTime();
    private String route = "unmatched";
    private Map<String, String> params = Map.of();

    Exchange(Request request, Response response, Callback callback, ObjectMapper json, RequestTimers timers) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.json = json;
        this.timers = timers;
    }

    /** The route pattern this request matched, e.g. {@code /v1/instances/{id}}; {@code unmatched} before. */
    String route() {
        return route;
    }

    void matched(String pattern, Map<String, String> pathParams) {
        this.route = pattern;
        this.params = pathParams;
    }

    /** The path segment the route names {@code {name}}, as sent (not yet validated). */
    String param(String name) {
        return params.get(name);
    }

    ObjectMapper json() {
        return json;
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
        timers.record(request.getMethod(), route, status, start);
    }

    /** Ends the exchange without an answer (its client went away); the connection is closed. */
    void abort(Throwable cause) {
        timers.record(request.getMethod(), route, 499, start);
        callback.failed(cause);
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

    /**
     * Whether an If-None-Match header (a list of tags, or *) names {@code etag}, by the weak comparison RFC 9110
     * prescribes for If-None-Match: {@code W/"x"} and {@code "x"} match each other.
     */
    static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String own = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(own)) {
                return true;
            }
        }
        return false;
    }
}
