package io.suho.hub.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The hub's per-route request timer {@code http.server.requests}, tagged {@code method}, {@code uri} (the route
 * pattern, never the raw path, so the tag set stays bounded) and {@code status}. Thread-safe.
 */
final class RequestTimers {
    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RequestTimers(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Records one answered request that started at {@code startNanos} ({@link System#nanoTime()}). */
    void record(String method, String route, int status, long startNanos) {
        timer(method, route, status).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
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
}
