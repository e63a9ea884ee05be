package io.suho.hub.grpc.internal;

import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreEndpoint;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.hub.HubRegistration;
import io.suho.hub.api.v1.BreakerState;
import io.suho.hub.api.v1.RegisterRequest;
import io.suho.hub.api.v1.StoreReport;
import io.suho.hub.api.v1.StoreReports;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Core's hub records to and from the messages of {@code suho/hub/v1/hub.proto}. A catalog from the hub passes core's
 * own checks ({@link StoreEndpoint}: allowed properties only, a valid database name), exactly as one read over HTTP
 * or from the endpoint file does; stores this SDK does not know are skipped (a newer hub may know more). Stateless.
 */
final class GrpcMessages {
    private GrpcMessages() {
    }

    /** @throws IOException naming the store whose endpoint breaks core's rules */
    static EndpointCatalog catalog(io.suho.hub.api.v1.EndpointCatalog c) throws IOException {
        Map<Store, StoreEndpoint> stores = new EnumMap<>(Store.class);
        for (Map.Entry<String, io.suho.hub.api.v1.StoreEndpoint> e : c.getStoresMap().entrySet()) {
            Store store;
            try {
                store = Store.fromId(e.getKey());
            } catch (IllegalArgumentException unknown) {
                continue;
            }
            io.suho.hub.api.v1.StoreEndpoint ep = e.getValue();
            try {
                List<HostPort> hosts = new ArrayList<>();
                for (String h : ep.getHostsList()) {
                    hosts.add(HostPort.parse(h, StoreKeys.defaultPort(store)));
                }
                stores.put(store, new StoreEndpoint(hosts, ep.hasDatabase() ? ep.getDatabase() : null, ep.getTls(),
                        ep.getPropertiesMap()));
            } catch (IllegalArgumentException bad) {
                throw new IOException("hub sent an invalid endpoint catalog: endpoint for " + store.id()
                        + " is invalid: " + bad.getMessage(), bad);
            }
        }
        return new EndpointCatalog(c.getVersion(), stores);
    }

    static RegisterRequest registration(HubRegistration r) {
        return RegisterRequest.newBuilder().setService(r.service()).setHost(r.host()).setPort(r.port())
                .setTtlSeconds(r.ttlSeconds()).putAllMeta(r.meta()).build();
    }

    /** The reports of a heartbeat; {@code null} when it only renews the lease. */
    static StoreReports reports(Heartbeat heartbeat) {
        Map<Store, Heartbeat.StoreReport> stores = heartbeat.stores();
        if (stores == null) {
            return null;
        }
        StoreReports.Builder b = StoreReports.newBuilder();
        stores.forEach((store, r) -> b.putStores(store.id(), StoreReport.newBuilder().setBreaker(breaker(r.breaker()))
                .setCalls(r.calls()).setErrorRate(r.errorRate()).build()));
        return b.build();
    }

    private static BreakerState breaker(String state) {
        return switch (state) {
            case "CLOSED" -> BreakerState.BREAKER_STATE_CLOSED;
            case "HALF_OPEN" -> BreakerState.BREAKER_STATE_HALF_OPEN;
            case "OPEN" -> BreakerState.BREAKER_STATE_OPEN;
            default -> throw new IllegalArgumentException("breaker: expected CLOSED, HALF_OPEN or OPEN");
        };
    }
}
