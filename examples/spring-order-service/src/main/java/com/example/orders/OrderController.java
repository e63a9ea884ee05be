package com.example.orders;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.cache.CacheClient;
import io.suho.client.cache.RateLimit;
import io.suho.client.cache.RateLimiter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /orders}, {@code GET /orders/{id}}, {@code GET /stats}. */
@RestController
public class OrderController {
    static final Duration CACHE_TTL = Duration.ofMinutes(5);

    private final OrderService orders;
    private final CacheClient cache;
    private final RateLimiter limiter;
    private final AnalyticsClient analytics;
    private final OrdersProperties props;

    public OrderController(OrderService orders, CacheClient cache, AnalyticsClient analytics, OrdersProperties props) {
        this.orders = orders;
        this.cache = cache;
        this.analytics = analytics;
        this.props = props;
        this.limiter = cache.rateLimiter("orders", props.ratePerMinute(), Duration.ofMinutes(1));
    }

    /** Places an order: 201, or 429 with Retry-After when the account placed too many in the last minute. */
    @PostMapping("/orders")
    public ResponseEntity<?> place(@RequestBody OrderRequest body) {
        OrderRequest r = body.validated();
        RateLimit rl = limiter.tryAcquire(r.accountId());
        if (!rl.allowed()) {
            long seconds = Math.max(1, (rl.retryAfter().toMillis() + 999) / 1000);
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds))
                    .body(Map.of("error", "rate limit: at most " + props.ratePerMinute()
                            + " orders per minute per account"));
        }
        Order o = orders.place(r);
        return ResponseEntity.created(URI.create("/orders/" + o.id())).body(o);
    }

    /** An order, read through the cache (5 minutes). */
    @GetMapping("/orders/{id}")
    public ResponseEntity<?> get(@PathVariable UUID id) {
        Order o = cache.getOrLoad(cacheKey(id), Order.class, CACHE_TTL, () -> orders.find(id).orElse(null));
        return o == null ? ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no order " + id))
                : ResponseEntity.ok(o);
    }

    /** Orders, quantity and notional per symbol, from ClickHouse (rows deduplicated with FINAL). */
    @GetMapping("/stats")
    public List<Map<String, Object>> stats() {
        return analytics.query("SELECT symbol, count() AS order_count, sum(quantity) AS total_quantity, "
                + "sum(quantity * price) AS notional FROM " + props.analyticsTable() + " FINAL "
                + "GROUP BY symbol ORDER BY symbol", Map.of(),
                row -> Map.of("symbol", row.getString("symbol"), "orders", row.getLong("order_count"),
                        "quantity", row.getLong("total_quantity"), "notional", row.getDouble("notional")));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    static String cacheKey(UUID id) {
        return "order:" + id;
    }
}
