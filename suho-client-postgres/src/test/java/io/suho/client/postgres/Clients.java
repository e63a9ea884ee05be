package io.suho.client.postgres;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.test.StoreServer;
import java.util.Map;

/** Builds SDK clients for tests against a real server, isolated from the process environment. */
final class Clients {
    private Clients() {
    }

    static SuhoClients open(StoreServer pg, SimpleMeterRegistry registry, Map<String, String> settings) {
        SuhoClients.Builder b = pg.configure(SuhoClients.builder().serviceName("pg-it"))
                .environment(Map.of())
                .meterRegistry(registry);
        settings.forEach(b::set);
        return b.build();
    }

    static SuhoClients open(StoreServer pg) {
        return open(pg, new SimpleMeterRegistry(), Map.of());
    }

    static String hosts(Store s) {
        return s.keyPrefix() + "hosts";
    }
}
