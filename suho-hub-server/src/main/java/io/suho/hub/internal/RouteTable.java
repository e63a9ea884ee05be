package io.suho.hub.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which handler serves a method and path: routes are {@code (method, pattern)} pairs such as
 * {@code GET /v1/instances/{id}}, where a {@code {name}} segment matches any one path segment and hands it to the
 * handler as a path parameter. A path no pattern matches is a 404; a path that matches but not with this method is a
 * 405 listing the allowed methods in the order they were added. {@code HEAD} is served wherever {@code GET} is.
 * Immutable once built; thread-safe.
 */
final class RouteTable {

    /** Serves one matched request. */
    @FunctionalInterface
    interface Route {
        void serve(Exchange ex);
    }

    private record Pattern(String text, String[] segments, Map<String, Route> byMethod) {
        /** The path parameters when {@code path} matches this pattern, else {@code null}. */
        Map<String, String> match(String[] path) {
            if (path.length != segments.length) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < path.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    params.put(s.substring(1, s.length() - 1), path[i]);
                } else if (!s.equals(path[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    private final List<Pattern> patterns = new ArrayList<>();

    /** Adds {@code method pattern → route}; patterns are tried in the order they were first added. */
    RouteTable add(String method, String pattern, Route route) {
        Pattern p = patterns.stream().filter(x -> x.text().equals(pattern)).findFirst().orElseGet(() -> {
            Pattern fresh = new Pattern(pattern, segments(pattern), new LinkedHashMap<>());
            patterns.add(fresh);
            return fresh;
        });
        if (p.byMethod().putIfAbsent(method, route) != null) {
            throw new IllegalStateException("route " + method + " " + pattern + " is listed twice");
        }
        return this;
    }

    /**
     * Finds the route for a request, records the matched pattern and path parameters on the exchange and serves it.
     *
     * @throws ApiException 404 when no pattern matches {@code path}, 405 when the pattern has no route for the method
     */
    void serve(String method, String path, Exchange ex) {
        String[] seg = segments(path);
        for (Pattern p : patterns) {
            Map<String, String> params = p.match(seg);
            if (params == null) {
                continue;
            }
            ex.matched(p.text(), params);
            Route route = p.byMethod().get(method);
            if (route == null && method.equals("HEAD")) {
                route = p.byMethod().get("GET");
            }
            if (route == null) {
                throw new ApiException(405, "method_not_allowed", method + " is not allowed here; allowed: "
                        + String.join(", ", p.byMethod().keySet()));
            }
            route.serve(ex);
            return;
        }
        throw ApiException.notFound("no such resource: " + ApiException.abbreviate(path));
    }

    /** {@code "/"} → no segments; {@code "/a/b/"} → {@code a, b, ""} (a trailing slash is a segment of its own). */
    private static String[] segments(String path) {
        return path.length() == 1 ? new String[0] : path.substring(1).split("/", -1);
    }
}
