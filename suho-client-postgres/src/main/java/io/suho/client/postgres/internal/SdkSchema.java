package io.suho.client.postgres.internal;

import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreUnavailableException;
import java.util.function.Supplier;

/**
 * The SDK's own tables ({@code suho_outbox}), created by its Flyway migration the first time something needs them —
 * an outbox append or {@code Outbox.ensureTable()} (the relay calls it) — and never by merely starting the client:
 * a service that does not use the outbox gets no DDL from the SDK. Once per client; thread-safe.
 */
final class SdkSchema {
    private final PostgresSettings settings;
    private final PoolFactory pools;
    private final Supplier<HostPort> primary;
    private volatile boolean ready;

    SdkSchema(PostgresSettings settings, PoolFactory pools, Supplier<HostPort> primary) {
        this.settings = settings;
        this.pools = pools;
        this.primary = primary;
        this.ready = !settings.sdkMigrations(); // switched off: the application owns the table
    }

    /** Whether the SDK's migrations ran in this client (or are switched off). */
    boolean ready() {
        return ready;
    }

    /**
     * Runs the SDK's migrations unless they ran already (idempotent across instances: Flyway's lock and history).
     *
     * @throws StoreUnavailableException when the primary does not answer (nothing was written)
     */
    void ensure() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            HostPort host = primary.get();
            if (!SchemaMigrations.runSdk(settings, pools, host)) {
                throw new StoreUnavailableException(Store.POSTGRES, "the SDK's outbox table could not be created: "
                        + host + " does not answer (nothing was written; the next outbox call tries again)", false,
                        null);
            }
            ready = true;
        }
    }
}
