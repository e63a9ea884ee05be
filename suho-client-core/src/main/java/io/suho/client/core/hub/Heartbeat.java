package io.suho.client.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.suho.client.core.Store;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of a heartbeat ({@code PUT /v1/instances/{id}/heartbeat}): what one service instance's SDK saw of each
 * store it uses since its previous heartbeat. The SDK writes it with {@link #toJson()}, the hub reads it with
 * {@link #fromJson(JsonNode)}; both sides share this one definition of the wire format:
 *
 * <pre>{@code
 * {"stores": {"postgres": {"breaker": "CLOSED", "calls": 120, "errorRate": 0.0}, ...}}
 * }</pre>
 *
 * <p>A heartbeat without a {@code stores} field only renews the lease, and the hub keeps the reports it had
 * ({@link #renewsOnly()}); {@code "stores": {}} says the instance uses no store now. Immutable and thread-safe.
 *
 * @param stores the report per store, or {@code null} for a heartbeat that only renews the lease
 */
public record Heartbeat(@Nullable Map<Store, StoreReport> stores) {

    /** The breaker states a report may carry: the names of Failsafe's circuit-breaker states. */
    public static final Set<String> BREAKER_STATES = Set.of("CLOSED", "HALF_OPEN", "OPEN");

    /**
     * What one instance saw of one store since its previous heartbeat.
     *
     * @param breaker the circuit breaker's state: {@code CLOSED}, {@code HALF_OPEN} or {@code OPEN}
     * @param calls calls made through the store's client, at least 0
     * @param errorRate the share of those calls that failed with a store failure, 0 to 1
     */
    public record StoreReport(String breaker, long calls, double errorRate) {
        /** @throws IllegalArgumentException when a field is outside the ranges above */
        public StoreReport {
            if (!BREAKER_STATES.contains(breaker)) {
                throw new IllegalArgumentException("breaker: expected CLOSED, HALF_OPEN or OPEN");
            }
            if (calls < 0) {
                throw new IllegalArgumentException("calls: expected a whole number in 0.." + Long.MAX_VALUE);
            }
            if (!(errorRate >= 0 && errorRate <= 1)) {
                throw new IllegalArgumentException("errorRate: expected a number in 0..1");
            }
        }
    }

    /** Copies {@code stores}, keeping {@code null} (lease renewal only). */
    public Heartbeat {
        if (stores != null) {
            Map<Store, StoreReport> copy = new EnumMap<>(Store.class);
            copy.putAll(stores);
            stores = Collections.unmodifiableMap(copy);
        }
    }

    /** A heartbeat that only renews the lease and leaves the hub's last reports for this instance as they are. */
    public static Heartbeat leaseOnly() {
        return new Heartbeat(null);
    }

    /** Whether this heartbeat carries no {@code stores} field, so it only renews the lease. */
    public boolean renewsOnly() {
        return stores == null;
    }

    /** The JSON body the SDK sends; stores appear in {@link Store} order. */
    public ObjectNode toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (stores != null) {
            ObjectNode out = body.putObject("stores");
            stores.forEach((store, r) -> out.putObject(store.id()).put("breaker", r.breaker())
                    .put("calls", r.calls()).put("errorRate", r.errorRate()));
        }
        return body;
    }

    /**
     * Reads and validates a heartbeat body, as the hub does for every heartbeat it accepts.
     *
     * @param body the parsed JSON object of the request
     * @throws IllegalArgumentException whose message names the field at fault and the rule, e.g.
     *     {@code stores.cache.breaker: expected CLOSED, HALF_OPEN or OPEN}; the hub answers it as a 400
     */
    public static Heartbeat fromJson(JsonNode body) {
        JsonNode stores = body.get("stores");
        if (stores == null || stores.isNull()) {
            return leaseOnly();
        }
        if (!stores.isObject()) {
            throw new IllegalArgumentException("stores: expected an object keyed by store id");
        }
        Map<Store, StoreReport> reports = new EnumMap<>(Store.class);
        Iterator<Map.Entry<String, JsonNode>> it = stores.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Store store;
            try {
                store = Store.fromId(e.getKey());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("stores: " + bad.getMessage());
            }
            reports.put(store, report(e.getValue(), "stores." + store.id()));
        }
        return new Heartbeat(reports);
    }

    private static StoreReport report(JsonNode r, String where) {
        if (!r.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object");
        }
        JsonNode breaker = r.get("breaker");
        if (breaker == null || breaker.isNull()) {
            throw new IllegalArgumentException(where + ".breaker: required");
        }
        if (!breaker.isTextual()) {
            throw new IllegalArgumentException(where + ".breaker: expected a string, got "
                    + breaker.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (!BREAKER_STATES.contains(breaker.asText())) {
            throw new IllegalArgumentException(where + ".breaker: expected CLOSED, HALF_OPEN or OPEN");
        }
        long calls = 0;
        JsonNode c = r.get("calls");
        if (c != null && !c.isNull()) {
            if (!c.isIntegralNumber() || !c.canConvertToLong() || c.asLong() < 0) {
                throw new IllegalArgumentException(where + ".calls: expected a whole number in 0.." + Long.MAX_VALUE);
            }
            calls = c.asLong();
        }
        double rate = 0.0;
        JsonNode er = r.get("errorRate");
        if (er != null && !er.isNull()) {
            if (!er.isNumber() || er.asDouble() < 0 || er.asDouble() > 1 || Double.isNaN(er.asDouble())) {
                throw new IllegalArgumentException(where + ".errorRate: expected a number in 0..1");
            }
            rate = er.asDouble();
        }
        return new StoreReport(breaker.asText(), calls, rate);
    }
}
