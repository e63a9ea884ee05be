package io.suho.client.messaging.internal;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.DriverLogs;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.messaging.EventPublisher;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.NatsClient;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started Kafka store: one idempotent producer and one Admin client (neither connects before its first request, so
 * the application starts while Kafka is down), the {@link ApacheKafkaClient} over them, the consumer loops it
 * started, health via {@code describeCluster}, and the hybrid {@link EventPublisher} built on first use. Closes, in
 * order: consumers, metrics binders, send deadlines, producer (flushing, bounded), Admin client. Thread-safe.
 */
public final class KafkaRuntime implements StartedStore {
    private static final Logger log = LoggerFactory.getLogger(KafkaRuntime.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final StoreContext ctx;
    private final KafkaSettings settings;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AdminClient admin;
    private final KafkaSends sends;
    private final KafkaConsumers consumers;
    private final ApacheKafkaClient client;
    private final List<AutoCloseable> metrics = new CopyOnWriteArrayList<>();
    private volatile HybridPublisher publisher;

    KafkaRuntime(StoreContext ctx, KafkaSettings settings) {
        this.ctx = ctx;
        this.settings = settings;
        String clientIdBase = ctx.serviceName() + "-" + INSTANCES.incrementAndGet();
        Map<String, Object> p = settings.producerProperties(clientIdBase + "-producer");
        if (KafkaSettings.weakensDelivery(p)) {
            log.warn("suho.kafka.producer.* overrides acks/enable.idempotence: acked events may be lost or duplicated");
        }
        DriverLogs.quietKafka(); // Kafka's config dump and banners to WARN unless the application set their level
        this.producer = new KafkaProducer<>(p);
        this.sends = new KafkaSends(settings.timeout(), Duration.ofMillis(Long.parseLong(String.valueOf(
                p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)))), clientIdBase);
        this.admin = AdminClient.create(settings.adminProperties(clientIdBase + "-admin"));
        this.consumers = new KafkaConsumers(settings.consumerProperties(), clientIdBase, ctx.meterRegistry(),
                ctx.serviceName());
        this.client = new ApacheKafkaClient(settings, ctx.executor(), producer, sends,
                new KafkaAdmin(admin, ctx.executor(), settings), consumers);

        bindMetrics(new KafkaClientMetrics(producer, List.of(Tag.of("service", ctx.serviceName()))));
        bindMetrics(new KafkaClientMetrics(admin, List.of(Tag.of("service", ctx.serviceName()))));
        log.info("Kafka client for {} ({}; max.block.ms={}, delivery.timeout.ms={})",
                settings.connection().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), ctx.resilience(),
                p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG), p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
    }

    private void bindMetrics(KafkaClientMetrics m) {
        m.bindTo(ctx.meterRegistry());
        metrics.add(m);
    }

    /**
     * {@link KafkaClient}, or the hybrid {@link EventPublisher}: built on its first request, which is when the NATS
     * store is started too (not when Kafka alone is used).
     */
    @Override
    public <T> T client(Class<T> type) {
        if (type == EventPublisher.class) {
            HybridPublisher p = publisher;
            if (p == null) {
                synchronized (this) {
                    if (publisher == null) {
                        publisher = new HybridPublisher(ctx.client(NatsClient.class), client, settings.hybridPolicy(),
                                settings.hybridPolicies(), ctx.serviceName());
                    }
                    p = publisher;
                }
            }
            return type.cast(p);
        }
        if (type.isInstance(client)) {
            return type.cast(client);
        }
        throw new IllegalArgumentException("the Kafka module provides KafkaClient and EventPublisher, not "
                + type.getName());
    }

    @Override
    public ProbeResult probe() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("consumers", consumers.size());
        try {
            DescribeClusterResult r = admin.describeCluster();
            long wait = settings.timeout().toMillis();
            Collection<?> nodes = r.nodes().get(wait, TimeUnit.MILLISECONDS);
            detail.put("cluster_id", r.clusterId().get(wait, TimeUnit.MILLISECONDS));
            detail.put("brokers", nodes.size());
            detail.put("controller", String.valueOf(r.controller().get(wait, TimeUnit.MILLISECONDS)));
            return ProbeResult.up(detail);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new ProbeResult(HealthStatus.DOWN, "describeCluster failed", Causes.unwrap(e), detail);
        }
    }

    @Override
    public FailurePolicy failurePolicy() {
        return KafkaFailures.POLICY;
    }

    @Override
    public void close() {
        consumers.closeAll();
        Duration grace = settings.closeGrace();
        for (AutoCloseable m : metrics) {
            try {
                m.close();
            } catch (Exception e) {
                log.debug("closing Kafka metrics binder failed: {}", e.toString());
            }
        }
        sends.close();
        try {
            producer.close(grace); // flushes what is in flight, bounded
        } catch (RuntimeException e) {
            log.warn("closing the Kafka producer failed: {}", e.toString());
        }
        try {
            admin.close(grace);
        } catch (RuntimeException e) {
            log.warn("closing the Kafka admin client failed: {}", e.toString());
        }
    }
}
