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

/** Registers the NATS store ({@link NatsClient}) with the SDK; the started store is the {@link JnatsClient}. */
public final class NatsModule implements StoreModule {
    static final String RECONNECT_WAIT = "suho.nats.reconnect-wait";
    static final String RECONNECT_BUFFER = "suho.nats.reconnect-buffer-bytes";
    static final String PING_INTERVAL = "suho.nats.ping-interval";

    @Override
    public Store store() {
        return Store.NATS;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(NatsClient.class);
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.of(RECONNECT_WAIT, "Wait between reconnect attempts (reconnects never give up).", "100ms"),
                ConfigKey.of(RECONNECT_BUFFER, "Bytes of publishes jnats buffers while reconnecting; beyond it "
                        + "publishes fail at once.", "8388608"),
                ConfigKey.of(PING_INTERVAL, "Ping interval; two missed pongs mark a hung server as disconnected.",
                        "5s"));
    }

    /**
     * 800 ms rather than the core's 1 s: a JetStream ack normally takes a millisecond or two, and a caller whose
     * publish hangs (a paused server) is answered, with the time the SDK itself needs, within one second.
     */
    @Override
    public ResilienceConfig defaultResilience() {
        return ResilienceConfig.builder().timeout(Duration.ofMillis(800)).build();
    }

    @Override
    public StartedStore start(StoreContext context) throws Exception {
        return JnatsClient.open(context);
    }
}
