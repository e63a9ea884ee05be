package io.suho.bench.drill;

import io.suho.client.core.SuhoClients;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;

/** Base of the drill targets: a {@link SuhoClients} with default settings pointed at the local store. */
abstract class SuhoDrillTarget implements DrillTarget {
    protected SuhoClients suho;
    protected final String run = Long.toString(System.currentTimeMillis(), 36);

    /** Resolves the local server and builds the SDK with default resilience settings. */
    protected SuhoClients connect(StoreKind... kinds) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("drill-" + name());
        for (StoreKind k : kinds) {
            StoreResolver.Resolution r = StoreResolver.resolve(k);
            if (!r.available()) {
                throw new IllegalStateException("no " + k + " server for the drill: " + r.reason());
            }
            if (!r.server().isLocal()) {
                throw new IllegalStateException("drills take the server away with infra/local; " + k
                        + " resolved to " + r.server() + " instead");
            }
            r.server().configure(b);
        }
        suho = b.build();
        return suho;
    }

    @Override
    public void close() {
        if (suho != null) {
            suho.close();
        }
    }
}
