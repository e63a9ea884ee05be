package io.suho.client.messaging.internal;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.HostPort;
import io.suho.client.core.NativeCall;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.messaging.Event;
import io.suho.client.messaging.EventCodec;
import io.suho.client.messaging.EventConsumer;
import io.suho.client.messaging.EventHandler;
import io.suho.client.messaging.EventPublisher;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.messaging.KafkaConsumerSpec;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KafkaClient} over one idempotent producer and one Admin client; also the started Kafka store (probe, failure
 * policy, close, and the hybrid {@link EventPublisher} built on first use). Thread-safe.
 */
public final class KafkaStoreClient implements KafkaClient, StartedStore {
    private static final Logger log = LoggerFactory.getLogger(KafkaStoreClient.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final StoreContext ctx;
    private final StoreExecutor exec;
    private final Duration timeout;
    private final Properties connection;
    private final Map<String, Object> consumerBase;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AdminClient admin;
    private final List<AutoCloseable> metrics = new CopyOnWriteArrayList<>();
    private final List<EventConsumer> consumers = new CopyOnWriteArrayList<>();
    private final int defaultPartitions;
    private final short defaultReplication;
    private final Duration defaultRetention;
    private final String clientIdBase;
    private final KafkaSends sends;
    private final Duration adminWait;
    private final Set<String> validTopics = ConcurrentHashMap.newKeySet();
    private volatile HybridPublisher publisher;

    private KafkaStoreClient(StoreContext ctx) {
        this.ctx = ctx;
        this.exec = ctx.executor();
        this.timeout = ctx.resilience().timeout();
        // topic administration is slower than a produce and rare: it gets at least 5 s whatever the send timeout
        this.adminWait = timeout.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : timeout;
        SuhoConfig config = ctx.config();
        List<HostPort> hosts = config.hosts(Store.KAFKA);
        this.clientIdBase = ctx.serviceName() + "-" + INSTANCES.incrementAndGet();
        this.connection = new Properties();
        connection.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                hosts.stream().map(HostPort::toString).collect(Collectors.joining(",")));
        if (config.bool(StoreKeys.tls(Store.KAFKA), false)) {
            connection.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        }
        connection.putAll(config.withPrefix("suho.kafka.client."));
        this.defaultPartitions = config.intValue(KafkaModule.PARTITIONS, 6, 1, 100_000);
        this.defaultReplication = (short) config.intValue(KafkaModule.REPLICATION, 1, 1, 32);
        this.defaultRetention = config.duration(KafkaModule.RETENTION, Duration.ofHours(72));

        Map<String, Object> p = new HashMap<>();
        connection.forEach((k, v) -> p.put((String) k, v));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientIdBase + "-producer");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        Duration delivery = config.duration(KafkaModule.DELIVERY_TIMEOUT, Duration.ofMinutes(2));
        p.putAll(kafkaTimeouts(timeout, delivery));
        p.putAll(config.withPrefix("suho.kafka.producer."));
        if (!"all".equals(String.valueOf(p.get(ProducerConfig.ACKS_CONFIG)))
                || !"true".equals(String.valueOf(p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)))) {
            log.warn("suho.kafka.producer.* overrides acks/enable.idempotence: acked events may be lost or duplicated");
        }
        lingerCheck(p);
        this.producer = new KafkaProducer<>(p);
        this.sends = new KafkaSends(timeout, Duration.ofMillis(Long.parseLong(String.valueOf(
                p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)))), clientIdBase);

        Map<String, Object> a = new HashMap<>();
        connection.forEach((k, v) -> a.put((String) k, v));
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, clientIdBase + "-admin");
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) adminWait.toMillis());
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) adminWait.toMillis());
        a.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, RECONNECT_BACKOFF_MAX_MS);
        a.put("metadata.recovery.strategy", "rebootstrap");
        a.putAll(config.withPrefix("suho.kafka.admin."));
        this.admin = AdminClient.create(a);

        Map<String, Object> c = new HashMap<>();
        connection.forEach((k, v) -> c.put((String) k, v));
        c.put("reconnect.backoff.max.ms", RECONNECT_BACKOFF_MAX_MS);
        c.put("metadata.recovery.strategy", "rebootstrap");
        c.put("default.api.timeout.ms", (int) Math.max(timeout.toMillis(), 5_000));
        c.putAll(config.withPrefix("suho.kafka.consumer."));
        this.consumerBase = Map.copyOf(c);

        bindMetrics(new KafkaClientMetrics(producer, List.of(Tag.of("service", ctx.serviceName()))));
        bindMetrics(new KafkaClientMetrics(admin, List.of(Tag.of("service", ctx.serviceName()))));
        log.info("Kafka client for {} ({}; max.block.ms={}, delivery.timeout.ms={})",
                connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG), ctx.resilience(),
                p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG), p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
    }

    /** Reconnect backoff cap: a broker that is back is found within this (plus jitter). */
    static final int RECONNECT_BACKOFF_MAX_MS = 200;

    /**
     * Producer timeouts derived from the store timeout T: {@code max.block.ms} = T (send() never blocks the caller
     * longer), {@code request.timeout.ms} = T/2 (a hung broker is dropped and the request retried), and
     * {@code delivery.timeout.ms} = the delivery timeout D (default 2 min): the producer keeps retrying an unacked
     * record with the same sequence number for D, after the caller was answered "ambiguous" at T. Reconnect backoff
     * and retry backoff capped at 200 ms, re-bootstrap on metadata loss.
     */
    static Map<String, Object> kafkaTimeouts(Duration t, Duration delivery) {
        int ms = (int) Math.min(Integer.MAX_VALUE / 2, t.toMillis());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        m.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, ms / 2));
        m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE / 2,
                Math.max(ms, delivery.toMillis())));
        m.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, RECONNECT_BACKOFF_MAX_MS);
        // a restarted broker answers NOT_LEADER until its partitions have leaders: re-check metadata and retry
        // every <= 200 ms instead of backing off to Kafka's 1 s
        m.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        m.put("retry.backoff.max.ms", RECONNECT_BACKOFF_MAX_MS);
        m.put("metadata.recovery.strategy", "rebootstrap");
        return m;
    }

    private static void lingerCheck(Map<String, Object> p) {
        int linger = Integer.parseInt(String.valueOf(p.get(ProducerConfig.LINGER_MS_CONFIG)));
        int request = Integer.parseInt(String.valueOf(p.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)));
        int delivery = Integer.parseInt(String.valueOf(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)));
        if (delivery < linger + request) {
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, linger + request);
        }
    }

    static KafkaStoreClient open(StoreContext ctx) {
        return new KafkaStoreClient(ctx);
    }

    private void bindMetrics(KafkaClientMetrics m) {
        m.bindTo(ctx.meterRegistry());
        metrics.add(m);
    }

    // ------------------------------------------------------------------ producer

    @Override
    public CompletionStage<RecordMetadata> send(String topic, Event event) {
        Objects.requireNonNull(event, "event");
        String t = requireTopic(topic);
        UUID id = event.id();
        KafkaSends.Late earlier = sends.earlier(id);
        if (earlier != null) {
            // an earlier attempt of this event timed out for its caller but is still in the producer (or was acked
            // since): wait for that one instead of writing a second record
            return exec.callAsync("kafka_send", false, () -> sends.join("kafka_send", id, earlier));
        }
        ProducerRecord<byte[], byte[]> record = EventCodec.toKafka(t, event);
        return exec.callAsync("kafka_send", false, () -> produce("kafka_send", id, record));
    }

    @Override
    public RecordMetadata sendAndWait(String topic, Event event) {
        return join(send(topic, event));
    }

    @Override
    public CompletionStage<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        Objects.requireNonNull(record, "record");
        requireTopic(record.topic());
        return sendRecord("kafka_send", record);
    }

    CompletionStage<RecordMetadata> sendRecord(String operation, ProducerRecord<byte[], byte[]> record) {
        return exec.callAsync(operation, false, () -> produce(operation, null, record));
    }

    /**
     * Never retried by the SDK: the idempotent producer retries internally (same sequence number, deduplicated by
     * the broker) for {@code delivery.timeout.ms}; a second send() would be a second record.
     */
    private KafkaSends.Send produce(String operation, UUID eventId, ProducerRecord<byte[], byte[]> record) {
        KafkaSends.Send s = sends.track(operation, eventId);
        try {
            producer.send(record, s); // a failure before the append (no metadata, too large) comes to s at once
        } catch (RuntimeException e) {
            s.onCompletion(null, e); // thrown without calling back (serialisation, interrupt, producer closed)
        }
        return s;
    }

    /** Ambiguous sends this client remembers (in flight in the producer, or acked after their caller gave up). */
    int rememberedAmbiguous() {
        return sends.remembered();
    }

    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable c = Causes.unwrap(e);
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private String requireTopic(String topic) {
        if (topic != null && validTopics.contains(topic)) {
            return topic;
        }
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("Kafka topic name '" + topic + "' must be 1-249 of [A-Za-z0-9._-]");
        }
        if (validTopics.size() < 10_000) {
            validTopics.add(topic);
        }
        return topic;
    }

    // ------------------------------------------------------------------ admin

    @Override
    public boolean ensureTopic(TopicSpec spec) {
        Objects.requireNonNull(spec, "spec");
        int partitions = spec.partitions() > 0 ? spec.partitions() : defaultPartitions;
        short rf = spec.replicationFactor() > 0 ? (short) spec.replicationFactor() : defaultReplication;
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("retention.ms", Long.toString((spec.retention() != null ? spec.retention() : defaultRetention)
                .toMillis()));
        configs.putAll(spec.configs());
        long wait = adminWait.toMillis();
        return exec.call("ensure_topic", true, () -> {
            TopicDescription existing = describe(spec.name(), wait);
            if (existing == null) {
                try {
                    admin.createTopics(List.of(new NewTopic(spec.name(), partitions, rf).configs(configs))).all()
                            .get(wait, TimeUnit.MILLISECONDS);
                    log.info("created Kafka topic {} ({} partitions, rf {}, {})", spec.name(), partitions, rf, configs);
                    return true;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    existing = describe(spec.name(), wait); // another instance won the race: check what it made
                    if (existing == null) {
                        throw e;
                    }
                }
            }
            boolean changed = false;
            int have = existing.partitions().size();
            if (have < partitions) {
                admin.createPartitions(Map.of(spec.name(), NewPartitions.increaseTo(partitions))).all()
                        .get(wait, TimeUnit.MILLISECONDS);
                log.warn("Kafka topic {} had {} partitions; increased to {} (key-to-partition mapping changes)",
                        spec.name(), have, partitions);
                changed = true;
            } else if (have > partitions) {
                log.info("Kafka topic {} has {} partitions, more than the {} asked for; kept", spec.name(), have,
                        partitions);
            }
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            Config current = admin.describeConfigs(List.of(res)).all().get(wait, TimeUnit.MILLISECONDS).get(res);
            List<AlterConfigOp> ops = new ArrayList<>();
            for (Map.Entry<String, String> e : configs.entrySet()) {
                ConfigEntry ce = current.get(e.getKey());
                if (ce == null || !e.getValue().equals(ce.value())) {
                    ops.add(new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET));
                }
            }
            if (!ops.isEmpty()) {
                admin.incrementalAlterConfigs(Map.of(res, ops)).all().get(wait, TimeUnit.MILLISECONDS);
                log.info("Kafka topic {}: altered {}", spec.name(),
                        ops.stream().map(o -> o.configEntry().name() + "=" + o.configEntry().value()).toList());
                changed = true;
            }
            return changed;
        });
    }

    private TopicDescription describe(String topic, long wait) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(wait, TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ consumers

    @Override
    public EventConsumer consume(KafkaConsumerSpec spec, EventHandler handler) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(handler, "handler");
        ensureTopic(TopicSpec.of(spec.effectiveDeadLetterTopic()));
        List<KafkaConsumerLoop> loops = new ArrayList<>();
        for (int i = 0; i < spec.threads(); i++) {
            Map<String, Object> c = new HashMap<>(consumerBase);
            c.put("client.id", clientIdBase + "-" + spec.groupId() + "-" + i);
            KafkaConsumerLoop loop = new KafkaConsumerLoop(this, spec, handler, c, i, ctx.meterRegistry(),
                    ctx.serviceName(), spec.threads() == 1 ? consumers::remove : x -> { });
            loops.add(loop);
        }
        EventConsumer consumer = loops.size() == 1 ? loops.get(0) : new ConsumerGroup(spec.groupId(), loops);
        consumers.add(consumer);
        loops.forEach(KafkaConsumerLoop::start);
        return consumer;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public Properties connectionProperties() {
        Properties p = new Properties();
        p.putAll(connection);
        return p;
    }

    @Override
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public <R> R execute(String operation, boolean idempotent, NativeCall<Producer<byte[], byte[]>, R> call) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        return exec.call(operation, idempotent, () -> call.call(producer));
    }

    // ------------------------------------------------------------------ started store

    @Override
    public <T> T client(Class<T> type) {
        if (type == EventPublisher.class) {
            HybridPublisher p = publisher;
            if (p == null) {
                synchronized (this) {
                    if (publisher == null) {
                        // NATS is started here on first use of the publisher, not when Kafka alone is used.
                        publisher = new HybridPublisher(ctx.client(NatsClient.class), this, ctx.config(),
                                ctx.serviceName());
                    }
                    p = publisher;
                }
            }
            return type.cast(p);
        }
        if (type.isInstance(this)) {
            return type.cast(this);
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
            long wait = timeout.toMillis();
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
        for (EventConsumer c : List.copyOf(consumers)) {
            c.close();
        }
        Duration grace = timeout.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : timeout;
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

    /** Several consumer loops of one group seen as one consumer. */
    private final class ConsumerGroup implements EventConsumer {
        private final String name;
        private final List<KafkaConsumerLoop> loops;

        ConsumerGroup(String name, List<KafkaConsumerLoop> loops) {
            this.name = name;
            this.loops = List.copyOf(loops);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isRunning() {
            return loops.stream().anyMatch(KafkaConsumerLoop::isRunning);
        }

        @Override
        public long handled() {
            return loops.stream().mapToLong(KafkaConsumerLoop::handled).sum();
        }

        @Override
        public long deadLettered() {
            return loops.stream().mapToLong(KafkaConsumerLoop::deadLettered).sum();
        }

        @Override
        public void close() {
            loops.forEach(KafkaConsumerLoop::signalStop);
            loops.forEach(KafkaConsumerLoop::close);
            consumers.remove(this);
        }
    }
}
