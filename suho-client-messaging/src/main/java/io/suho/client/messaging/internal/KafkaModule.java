package io.suho.client.messaging.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
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
 * started Kafka store ({@link KafkaStoreClient}) builds on first use from itself and the NATS module's client.
 */
public final class KafkaModule implements StoreModule {
    static final String PARTITIONS = "suho.kafka.topic.partitions";
    static final String REPLICATION = "suho.kafka.topic.replication-factor";
    static final String RETENTION = "suho.kafka.topic.retention";
    static final String HYBRID_POLICY = "suho.messaging.hybrid.policy";
    static final String DELIVERY_TIMEOUT = "suho.kafka.delivery-timeout";
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
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.of(PARTITIONS, "Partitions of topics created by ensureTopic when the spec gives none.",
                        "6"),
                ConfigKey.of(REPLICATION, "Replication factor of created topics (1 on a single broker; 3 on a "
                        + "real cluster).", "1"),
                ConfigKey.of(RETENTION, "retention.ms of created topics.", "72h"),
                ConfigKey.of(DELIVERY_TIMEOUT, "How long the producer keeps retrying a record whose caller was "
                        + "answered 'ambiguous' (delivery.timeout.ms); a re-send of the same event within it joins "
                        + "the first attempt instead of writing a second record.", "2m"),
                ConfigKey.of(HYBRID_POLICY, "Default hybrid publish policy (BOTH, EITHER, NATS_FIRST, KAFKA_ONLY, "
                        + "NATS_ONLY); per event type: suho.messaging.hybrid.policy.<type>.", "BOTH"));
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
        return KafkaStoreClient.open(context);
    }
}
