package io.suho.client.core.spi;

import io.micrometer.core.instrument.MeterRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
import java.util.concurrent.ScheduledExecutorService;

/** What the SDK gives a store module when it starts it. */
public interface StoreContext {

    /** The application's service name (the {@code service} tag of every meter). */
    String serviceName();

    Store store();

    /** The current resolved configuration (re-read it after {@link #onEndpointsChanged}). */
    SuhoConfig config();

    MeterRegistry meterRegistry();

    /** This store's resolved resilience settings. */
    ResilienceConfig resilience();

    /**
     * This store's call pipeline; every client operation goes through it. Its failure policy is the one the
     * {@link StartedStore} returns, installed as soon as {@link StoreModule#start} returns.
     */
    StoreExecutor executor();

    /** A small shared scheduler for background work (health re-checks, flushes); never block on it. */
    ScheduledExecutorService scheduler();

    /** Another module's client (e.g. the messaging module's outbox relay asks for the PostgreSQL client). */
    <T> T client(Class<T> type);

    /** Registers a callback run when the hub reports new endpoints. */
    void onEndpointsChanged(Runnable callback);
}
