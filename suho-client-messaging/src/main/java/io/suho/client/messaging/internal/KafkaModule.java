package io.suho.client.messaging.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.client.messaging.EventPublisher;
import io.suho.client.messaging.KafkaClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Registers the Kafka store ({@link KafkaClient}) with the SDK, and the hybrid {@link EventPublisher}, which the
 * started Kafka store ({@link KafkaRuntime}) builds on first use from its client and the NATS module's client.
 * Its keys and their defaults are in {@link KafkaSettings}.
 */
public final class KafkaModule implements StoreModule {
    /** Default store timeout: how long a caller waits for an ack (see docs/resilience.md for the trade-off). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(600);

    @Override
    public Store store() {
        return Store.KAFKA;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(KafkaClient.class, EventPublisher.class);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return KafkaSettings.keys();
    }

    @Override
    public List<String> configPrefixes() {
        return KafkaSettings.prefixes();
    }

    /** The common and module keys, and every per-event-type hybrid policy. */
    @Override
    public void validate(SuhoConfig config) {
        StoreModule.super.validate(config);
        KafkaSettings.hybridPolicies(config);
    }

    /**
     * 600 ms: a caller is answered (acked, or ambiguous and the breaker counts it) within the drill's one-second
     * budget even counting the time a stopping broker still takes to drop its connections; a slower ack is not lost —
     * the producer keeps the record for {@code suho.kafka.delivery-timeout} and a re-send joins it.
     */
    @Override
    public ResilienceConfig defaultResilience() {
        return ResilienceConfig.builder().timeout(DEFAULT_TIMEOUT).build();
    }

    @Override
    public StartedStore start(StoreContext context) {
        return new KafkaRuntime(context, KafkaSettings.from(context.config(), context.resilience().timeout()));
    }
}
