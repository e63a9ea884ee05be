package io.suho.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Store;
import io.suho.client.core.hub.Heartbeat;
import io.suho.hub.api.v1.BreakerState;
import io.suho.hub.api.v1.ClientView;
import io.suho.hub.api.v1.HealthResponse;
import io.suho.hub.api.v1.HealthStatus;
import io.suho.hub.api.v1.Lease;
import io.suho.hub.api.v1.LeaseState;
import io.suho.hub.api.v1.StoreEndpoint;
import io.suho.hub.api.v1.StoreHealth;
import io.suho.hub.api.v1.StoreReport;
import io.suho.hub.api.v1.StoreReports;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Translates between the gRPC messages of {@code suho/hub/v1/hub.proto} and the hub's own types. Reads are built from
 * what the HTTP API serves (the endpoint catalog, {@link HealthView}'s JSON of the health and of an instance), so
 * both transports show the same content by construction; the heartbeat's reports become core's
 * {@link Heartbeat} record, whose constructor holds the rules. Stateless; thread-safe.
 */
final class GrpcMessages {
    private GrpcMessages() {
    }

    static io.suho.hub.api.v1.EndpointCatalog catalog(EndpointCatalog c) {
        io.suho.hub.api.v1.EndpointCatalog.Builder b = io.suho.hub.api.v1.EndpointCatalog.newBuilder()
                .setVersion(c.version());
        c.stores().forEach((store, ep) -> {
            StoreEndpoint.Builder e = StoreEndpoint.newBuilder().setTls(ep.tls()).putAllProperties(ep.properties());
            ep.hosts().forEach(h -> e.addHosts(h.toString()));
            if (ep.database() != null) {
                e.setDatabase(ep.database());
            }
            b.putStores(store.id(), e.build());
        });
        return b.build();
    }

    /**
     * The heartbeat's reports as core's record: absent reports renew the lease only.
     *
     * @throws IllegalArgumentException naming the field at fault ({@code reports.stores.cache.breaker: required})
     */
    static Heartbeat heartbeat(io.suho.hub.api.v1.HeartbeatRequest request) {
        if (!request.hasReports()) {
            return Heartbeat.leaseOnly();
        }
        StoreReports reports = request.getReports();
        Map<Store, Heartbeat.StoreReport> out = new EnumMap<>(Store.class);
        for (Map.Entry<String, StoreReport> e : reports.getStoresMap().entrySet()) {
            Store store;
            try {
                store = Store.fromId(e.getKey());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("reports.stores: " + bad.getMessage());
            }
            StoreReport r = e.getValue();
            String where = "reports.stores." + store.id();
            String breaker = switch (r.getBreaker()) {
                case BREAKER_STATE_CLOSED -> "CLOSED";
                case BREAKER_STATE_HALF_OPEN -> "HALF_OPEN";
                case BREAKER_STATE_OPEN -> "OPEN";
                case BREAKER_STATE_UNSPECIFIED -> throw new IllegalArgumentException(where + ".breaker: required");
                default -> throw new IllegalArgumentException(where + ".breaker: expected CLOSED, HALF_OPEN or OPEN");
            };
            try {
                out.put(store, new Heartbeat.StoreReport(breaker, r.getCalls(), r.getErrorRate()));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + "." + bad.getMessage());
            }
        }
        return new Heartbeat(out);
    }

    static BreakerState breaker(String state) {
        return switch (state) {
            case "CLOSED" -> BreakerState.BREAKER_STATE_CLOSED;
            case "HALF_OPEN" -> BreakerState.BREAKER_STATE_HALF_OPEN;
            case "OPEN" -> BreakerState.BREAKER_STATE_OPEN;
            default -> BreakerState.BREAKER_STATE_UNSPECIFIED;
        };
    }

    static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    /** One instance from {@link HealthView#instance}'s JSON (the shape of {@code /v1/services/{name}}). */
    static io.suho.hub.api.v1.Instance instance(JsonNode n) {
        io.suho.hub.api.v1.Instance.Builder b = io.suho.hub.api.v1.Instance.newBuilder()
                .setInstanceId(n.path("instanceId").asText())
                .setService(n.path("service").asText())
                .setHost(n.path("host").asText())
                .setPort(n.path("port").asInt())
                .setRegisteredAt(timestamp(n.path("registeredAt")))
                .setLastHeartbeat(timestamp(n.path("lastHeartbeat")));
        n.path("meta").fields().forEachRemaining(e -> b.putMeta(e.getKey(), e.getValue().asText()));
        JsonNode lease = n.path("lease");
        b.setLease(Lease.newBuilder().setTtlSeconds(lease.path("ttlSeconds").asInt())
                .setExpiresAt(timestamp(lease.path("expiresAt")))
                .setRemainingSeconds(lease.path("remainingSeconds").asDouble())
                .setState("LATE".equals(lease.path("state").asText()) ? LeaseState.LEASE_STATE_LATE
                        : LeaseState.LEASE_STATE_ACTIVE));
        n.path("stores").fields().forEachRemaining(e -> b.putStores(e.getKey(), StoreReport.newBuilder()
                .setBreaker(breaker(e.getValue().path("breaker").asText()))
                .setCalls(e.getValue().path("calls").asLong())
                .setErrorRate(e.getValue().path("errorRate").asDouble()).build()));
        return b.build();
    }

    /** The aggregate health from {@link HealthView#health()}'s JSON; {@code detail} false: the status only. */
    static HealthResponse health(JsonNode h, boolean detail) {
        HealthResponse.Builder b = HealthResponse.newBuilder().setStatus(status(h.path("status").asText()));
        if (!detail) {
            return b.build();
        }
        b.setCheckedAt(timestamp(h.path("checkedAt"))).setInstances(h.path("instances").asInt());
        h.path("required").forEach(r -> b.addRequired(r.asText()));
        h.path("stores").fields().forEachRemaining(e -> b.putStores(e.getKey(), store(e.getValue())));
        return b.build();
    }

    private static StoreHealth store(JsonNode s) {
        StoreHealth.Builder b = StoreHealth.newBuilder().setStatus(status(s.path("status").asText()))
                .setRequired(s.path("required").asBoolean()).setConfigured(s.path("configured").asBoolean())
                .setConsecutiveFailures(s.path("consecutiveFailures").asInt());
        s.path("hosts").forEach(x -> b.addHosts(x.asText()));
        if (s.path("latencyMs").isNumber()) {
            b.setLatencyMs(s.path("latencyMs").asDouble());
        }
        if (s.path("lastError").isTextual()) {
            b.setLastError(s.path("lastError").asText());
        }
        if (s.path("lastErrorAt").isTextual()) {
            b.setLastErrorAt(timestamp(s.path("lastErrorAt")));
        }
        if (s.path("since").isTextual()) {
            b.setSince(timestamp(s.path("since")));
        }
        if (s.path("lastCheck").isTextual()) {
            b.setLastCheck(timestamp(s.path("lastCheck")));
        }
        s.path("detail").fields().forEachRemaining(e -> b.putDetail(e.getKey(), e.getValue().isValueNode()
                ? e.getValue().asText() : e.getValue().toString()));
        JsonNode c = s.path("clients");
        b.setClients(ClientView.newBuilder().setReporting(c.path("reporting").asInt())
                .setBreakerOpen(c.path("breakerOpen").asInt()).setBreakerHalfOpen(c.path("breakerHalfOpen").asInt())
                .setCalls(c.path("calls").asLong()).setErrorRate(c.path("errorRate").asDouble()));
        return b.build();
    }

    static HealthStatus status(String name) {
        return switch (name) {
            case "UP" -> HealthStatus.HEALTH_STATUS_UP;
            case "DEGRADED" -> HealthStatus.HEALTH_STATUS_DEGRADED;
            case "DOWN" -> HealthStatus.HEALTH_STATUS_DOWN;
            case "UNKNOWN" -> HealthStatus.HEALTH_STATUS_UNKNOWN;
            default -> HealthStatus.HEALTH_STATUS_UNSPECIFIED;
        };
    }

    private static Timestamp timestamp(JsonNode iso) {
        return iso.isTextual() ? timestamp(Instant.parse(iso.asText())) : Timestamp.getDefaultInstance();
    }
}
