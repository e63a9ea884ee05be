package io.suho.client.messaging.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.client.messaging.NatsClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Registers the NATS store ({@link NatsClient}) with the SDK; the started store is a {@link NatsRuntime}. Its keys and
 * their defaults are in {@link NatsSettings}.
 */
public final class NatsModule implements StoreModule {

    @Override
    public Store store() {
        return Store.NATS;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(NatsClient.class);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return NatsSettings.keys();
    }

    /**
     * 600 ms rather than the core's 1 s: a JetStream ack normally takes a millisecond or two, and a caller whose
     * publish hangs (a paused server) is answered, with the time the SDK itself needs, within one second of the hang
     * (at 800 ms the pause drill measured 1,076 ms once: the request-cleanup sweep and a loaded machine add to it).
     */
    @Override
    public ResilienceConfig defaultResilience() {
        return ResilienceConfig.builder().timeout(DEFAULT_TIMEOUT).build();
    }

    /** The default {@code suho.nats.timeout}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(600);

    @Override
    public StartedStore start(StoreContext context) throws Exception {
        return NatsRuntime.open(context, NatsSettings.from(context.config(), context.resilience().timeout()));
    }
}
