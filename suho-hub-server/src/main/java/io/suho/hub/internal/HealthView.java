package io.suho.hub.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.hub.HubConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Combines the hub's probes with what instances report in heartbeats into the JSON of {@code /v1/health},
 * {@code /v1/stores/{store}} and of one registered instance; also used by the status page. Stateless; thread-safe.
 */
public final class HealthView {

    /** Client-side view of a store: how many instances report on it and how many have its breaker open. */
    public record ClientView(int reporting, int breakerOpen, int breakerHalfOpen, long calls, double errorRate) {
    }

    private final java.util.function.Supplier<HubConfig> configs;
    private final Map<Store, StoreMonitor> monitors;
    private final InstanceRegistry registry;
    private final Clock clock;
    private final Instant started;
    private final ObjectMapper json;

    public HealthView(java.util.function.Supplier<HubConfig> configs, Map<Store, StoreMonitor> monitors, InstanceRegistry registry, Clock clock,
            ObjectMapper json) {
        this.configs = configs;
        this.monitors = monitors;
        this.registry = registry;
        this.clock = clock;
        this.started = clock.instant();
        this.json = json;
    }

    public StoreMonitor.State state(Store store) {
        StoreMonitor m = monitors.get(store);
        return m != null ? m.state() : StoreMonitor.unconfigured(store, configs.get().notConfiguredReason(store), started);
    }

    /** The configured hosts of a store, comma-separated, or empty. */
    public String hosts(Store store) {
        HubConfig.Target t = configs.get().targets().get(store);
        return t == null ? "" : String.join(",", t.hosts().stream().map(Object::toString).toList());
    }

    /** Whether every required store is up (UP or DEGRADED: failing, but below the DOWN threshold). */
    public boolean requiredUp() {
        for (Store s : configs.get().required()) {
            HealthStatus h = state(s).status();
            if (h != HealthStatus.UP && h != HealthStatus.DEGRADED) {
                return false;
            }
        }
        return true;
    }

    /** Whether every configured store has been probed at least once. */
    public boolean probedOnce() {
        return monitors.values().stream().allMatch(m -> m.state().probed());
    }

    public Map<Store, ClientView> clientViews() {
        int[][] counts = new int[Store.values().length][3];
        long[] calls = new long[Store.values().length];
        double[] errors = new double[Store.values().length];
        for (Instance i : registry.all()) {
            i.reports().forEach((store, r) -> {
                int k = store.ordinal();
                counts[k][0]++;
                if ("OPEN".equals(r.breaker())) {
                    counts[k][1]++;
                } else if ("HALF_OPEN".equals(r.breaker())) {
                    counts[k][2]++;
                }
                calls[k] += r.calls();
                errors[k] += r.errorRate() * r.calls();
            });
        }
        Map<Store, ClientView> out = new EnumMap<>(Store.class);
        for (Store s : Store.values()) {
            int k = s.ordinal();
            out.put(s, new ClientView(counts[k][0], counts[k][1], counts[k][2], calls[k],
                    calls[k] == 0 ? 0.0 : errors[k] / calls[k]));
        }
        return out;
    }

    /** Overall status: DOWN when a required store is down, DEGRADED when anything else is wrong, else UP. */
    public HealthStatus overall(Map<Store, ClientView> clients) {
        if (!requiredUp()) {
            return HealthStatus.DOWN;
        }
        for (Store s : Store.values()) {
            StoreMonitor.State st = state(s);
            boolean configured = st.configured();
            if (configured && st.status() != HealthStatus.UP || clients.get(s).breakerOpen() > 0) {
                return HealthStatus.DEGRADED;
            }
        }
        return HealthStatus.UP;
    }

    public ObjectNode health() {
        Map<Store, ClientView> clients = clientViews();
        ObjectNode root = json.createObjectNode();
        root.put("status", overall(clients).name());
        root.put("checkedAt", clock.instant().toString());
        ArrayNode req = root.putArray("required");
        configs.get().required().forEach(s -> req.add(s.id()));
        ObjectNode stores = root.putObject("stores");
        for (Store s : Store.values()) {
            stores.set(s.id(), storeNode(s, clients.get(s), false));
        }
        root.put("instances", registry.all().size());
        return root;
    }

    public ObjectNode store(Store s) {
        ObjectNode n = storeNode(s, clientViews().get(s), true);
        n.put("store", s.id());
        return n;
    }

    private ObjectNode storeNode(Store s, ClientView cv, boolean withHistory) {
        StoreMonitor.State st = state(s);
        ObjectNode n = json.createObjectNode();
        n.put("status", st.status().name());
        n.put("required", configs.get().required().contains(s));
        n.put("configured", st.configured());
        HubConfig.Target t = configs.get().targets().get(s);
        ArrayNode hosts = n.putArray("hosts");
        if (t != null) {
            t.hosts().forEach(h -> hosts.add(h.toString()));
        }
        if (st.probed()) {
            n.put("latencyMs", Math.round(st.latencyMs() * 100) / 100.0);
        } else {
            n.putNull("latencyMs");
        }
        if (st.lastError() == null) {
            n.putNull("lastError");
        } else {
            n.put("lastError", st.lastError());
        }
        putInstant(n, "lastErrorAt", st.lastErrorAt());
        putInstant(n, "since", st.since());
        putInstant(n, "lastCheck", st.lastCheck());
        n.put("consecutiveFailures", st.consecutiveFailures());
        n.set("detail", json.valueToTree(st.detail()));
        ObjectNode c = n.putObject("clients");
        c.put("reporting", cv.reporting());
        c.put("breakerOpen", cv.breakerOpen());
        c.put("breakerHalfOpen", cv.breakerHalfOpen());
        c.put("calls", cv.calls());
        c.put("errorRate", Math.round(cv.errorRate() * 10_000) / 10_000.0);
        StoreMonitor m = monitors.get(s);
        if (withHistory && m != null) {
            ObjectNode p = n.putObject("probe");
            p.put("intervalMs", m.settings().interval().toMillis());
            p.put("timeoutMs", m.settings().timeout().toMillis());
            p.put("failuresToDown", m.settings().failuresToDown());
            p.put("successesToUp", m.settings().successesToUp());
            ArrayNode h = n.putArray("history");
            for (StoreMonitor.Check ck : m.history()) {
                ObjectNode e = h.addObject();
                e.put("at", ck.at().toString());
                e.put("ok", ck.ok());
                e.put("latencyMs", Math.round(ck.latencyMs() * 100) / 100.0);
                if (ck.error() != null) {
                    e.put("error", ck.error());
                }
            }
        }
        return n;
    }

    private static void putInstant(ObjectNode n, String name, Instant at) {
        if (at == null) {
            n.putNull(name);
        } else {
            n.put(name, at.toString());
        }
    }

    /** One instance as the read routes show it (also inside {@code /v1/services/{name}} and {@code /v1/instances}). */
    public ObjectNode instance(Instance i) {
        Instant now = clock.instant();
        ObjectNode n = json.createObjectNode();
        n.put("instanceId", i.id());
        n.put("service", i.service());
        n.put("host", i.host());
        n.put("port", i.port());
        n.set("meta", json.valueToTree(i.meta()));
        n.put("registeredAt", i.registeredAt().toString());
        n.put("lastHeartbeat", i.lastHeartbeat().toString());
        long remainingMs = i.leaseExpiresAt().toEpochMilli() - now.toEpochMilli();
        ObjectNode lease = n.putObject("lease");
        lease.put("ttlSeconds", i.ttlSeconds());
        lease.put("expiresAt", i.leaseExpiresAt().toString());
        lease.put("remainingSeconds", Math.max(0, remainingMs) / 1000.0);
        // LATE: more than half the TTL has passed without a heartbeat
        lease.put("state", remainingMs * 2 >= i.ttlSeconds() * 1000L ? "ACTIVE" : "LATE");
        ObjectNode stores = n.putObject("stores");
        i.reports().forEach((s, r) -> stores.putObject(s.id()).put("breaker", r.breaker()).put("calls", r.calls())
                .put("errorRate", r.errorRate()));
        return n;
    }
}
