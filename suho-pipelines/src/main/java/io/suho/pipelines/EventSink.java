package io.suho.pipelines;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.TableSpec;
import io.suho.client.core.HostPort;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.spi.Backoff;
import io.suho.events.DeadLetters;
import io.suho.events.Event;
import io.suho.pipelines.internal.SinkLoop;
import io.suho.pipelines.internal.SinkMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent Kafka → ClickHouse sink: consumes a topic of {@link Event} envelopes, maps each to a row, inserts
 * batches with one request each, and commits the Kafka offsets of a batch only after ClickHouse accepted it.
 *
 * <p><b>Delivery.</b> At least once into ClickHouse; a crash between insert and commit replays the batch, and the
 * target table ({@code ReplacingMergeTree} keyed by event id, see {@link EventTable}) collapses the duplicates, so
 * {@code FINAL} / {@code argMax} queries see every event exactly once.
 *
 * <p><b>Poison records</b> (not an envelope, or the mapper throws, or ClickHouse rejects the row's values) go to the
 * dead-letter topic with the {@link DeadLetters} headers; their offsets are committed only after the dead-letter
 * write is acknowledged. A batch ClickHouse rejects is split in halves until the bad rows are isolated; the rest is
 * written.
 *
 * <p><b>Outages.</b> While ClickHouse is unavailable ({@link StoreUnavailableException}) or does not answer
 * ({@link StoreTimeoutException}: the batch may have landed) the sink pauses its partitions, stops committing, keeps
 * its group membership by polling, and retries the same batch with the SDK's {@link Backoff}; it resumes where it
 * stopped once ClickHouse answers. A batch written twice that way collapses in the {@code ReplacingMergeTree} like a
 * replay after a crash. A Kafka outage is the consumer's to ride out; the sink resumes from the committed offsets.
 *
 * <p><b>Metrics</b> (tags {@code service}, {@code topic}, {@code table}): {@code suho.analytics.sink.records} (outcome
 * {@code inserted} / {@code dead_lettered}), {@code suho.analytics.sink.batches} ({@code success} / {@code failed}),
 * {@code suho.analytics.sink.insert.latency}, {@code suho.analytics.sink.lag} (records behind the log end, summed over
 * assigned partitions) and {@code suho.analytics.sink.committed} (offsets committed).
 *
 * <p>{@link #run()} blocks the calling thread; {@link #start()} runs it on a daemon thread; {@link #close()} stops it
 * (thread-safe). One sink owns one consumer; run several (same group) to scale out. The sink writes through the
 * public {@link AnalyticsClient} API ({@link AnalyticsClient#encodedRows()}), so any client from
 * {@code suho.get(AnalyticsClient.class)} will do.
 */
public final class EventSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

    private final EventSinkConfig config;
    private final SinkMetrics metrics;
    private final SinkLoop loop;

    private EventSink(EventSinkConfig config, ObservationRegistry observations) {
        this.config = config;
        if (!config.table().engine().startsWith("Replacing")) {
            LOG.warn("sink table {} uses {}: replays after a crash will leave duplicate rows; use a ReplacingMergeTree "
                    + "keyed by the event id", config.table().name(), config.table().engine());
        }
        this.metrics = new SinkMetrics(config);
        this.loop = new SinkLoop(config, metrics, observations);
    }

    /**
     * Starts a sink definition writing through {@code client} (from {@code suho.get(AnalyticsClient.class)}), with
     * its meters in a private registry unless {@link Builder#meterRegistry} says otherwise; prefer
     * {@link #builder(SuhoClients)}.
     */
    public static Builder builder(AnalyticsClient client) {
        return new Builder(client);
    }

    /**
     * Starts a sink definition on the SDK: writing through its {@code AnalyticsClient}, its meters in the SDK's
     * registry tagged with its service name, its inserts continuing the traces of the records on the SDK's
     * {@code ObservationRegistry}, and — when {@code suho.kafka.hosts} is set — those Kafka servers as bootstrap.
     */
    public static Builder builder(SuhoClients suho) {
        Builder b = new Builder(suho.get(AnalyticsClient.class)).meterRegistry(suho.meterRegistry(),
                suho.serviceName()).observationRegistry(suho.observationRegistry());
        suho.config().optional(StoreKeys.hostsKey(Store.KAFKA)).filter(h -> !h.isEmpty()).ifPresent(hosts ->
                b.bootstrapServers(hosts.stream().map(HostPort::toString).collect(Collectors.joining(","))));
        return b;
    }

    /** What this sink runs with. */
    public EventSinkConfig config() {
        return config;
    }

    /** Runs the sink on a new daemon thread named {@code suho-event-sink-<topic>} and returns it. */
    public Thread start() {
        Thread t = new Thread(this::run, "suho-event-sink-" + config.topic());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Records behind the end of the log (last measured), for tests and ops. */
    public long lag() {
        return metrics.lag();
    }

    /**
     * Records polled and not committed yet: the batch being built or retried, poison records included. Offsets are
     * committed only after the batch is in ClickHouse, so after a crash or a Kafka outage these are read again.
     */
    public int pending() {
        return loop.pending();
    }

    /** Rows inserted so far (replays included). */
    public long rowsInserted() {
        return metrics.rowsInserted();
    }

    /** Records sent to the dead-letter topic so far. */
    public long deadLettered() {
        return metrics.deadLetteredCount();
    }

    /** Consumes until {@link #close()}; creates the table first. */
    public void run() {
        loop.run();
    }

    /**
     * Stops the sink: the loop ends, writes and commits its current batch if ClickHouse answers (otherwise leaves it
     * to be replayed), and closes its Kafka clients. Waits up to 30 s for the loop thread.
     */
    @Override
    public void close() {
        loop.close();
    }

    /** Defines an {@link EventSink}; {@link #build()} validates (see {@link EventSinkConfig}). Not thread-safe. */
    public static final class Builder {
        private final AnalyticsClient client;
        private String bootstrap;
        private String topic;
        private String groupId;
        private TableSpec table;
        private EventRowMapper mapper = EventTable.MAPPER;
        private String deadLetterTopic;
        private int maxBatchRows = 10_000;
        private Duration maxBatchDelay = Duration.ofSeconds(1);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration commitTimeout = Duration.ofSeconds(10);
        private MeterRegistry registry = new SimpleMeterRegistry();
        private ObservationRegistry observations = ObservationRegistry.NOOP;
        private String service = "event-sink";
        private final Map<String, String> kafka = new LinkedHashMap<>();

        private Builder(AnalyticsClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Kafka bootstrap servers, {@code host:port[,host:port]}. */
        public Builder bootstrapServers(String servers) {
            this.bootstrap = servers;
            return this;
        }

        /** The topic of {@link Event} envelopes to consume. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The consumer group; offsets are committed under it. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** The target table (created if missing); {@link EventTable#spec} by default with the default mapper. */
        public Builder table(TableSpec table, EventRowMapper mapper) {
            this.table = Objects.requireNonNull(table, "table");
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** Where poison records go; without one they are logged and skipped. */
        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = topic;
            return this;
        }

        /** Rows per insert (default 10,000) and the longest a record waits before its batch is sent (1 s). */
        public Builder batch(int maxRows, Duration maxDelay) {
            this.maxBatchRows = maxRows;
            this.maxBatchDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /**
         * Backoff between insert attempts while ClickHouse is unavailable or does not answer (default 100 ms doubling
         * to 5 s, ±50 % jitter).
         */
        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = Objects.requireNonNull(min, "min");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Timeout of offset commits and dead-letter writes (default 10 s). */
        public Builder commitTimeout(Duration timeout) {
            this.commitTimeout = Objects.requireNonNull(timeout, "commitTimeout");
            return this;
        }

        /** Where the sink's meters go, tagged {@code service} (default: a private registry, "event-sink"). */
        public Builder meterRegistry(MeterRegistry registry, String service) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.service = Objects.requireNonNull(service, "service");
            return this;
        }

        /**
         * Where the sink observes its inserts (default: nothing observed): each batch's insert continues the trace of
         * its records ({@code traceparent} header), so with a tracing bridge the ClickHouse insert span is part of the
         * trace of the order that produced the event.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observations = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Extra consumer properties (security settings, fetch sizes); they override the sink's defaults. */
        public Builder kafkaProperty(String name, String value) {
            kafka.put(name, value);
            return this;
        }

        /**
         * The sink, not running yet ({@link EventSink#run()} or {@link EventSink#start()}).
         *
         * @throws IllegalArgumentException naming the setting that is missing or out of range
         */
        public EventSink build() {
            TableSpec target = table;
            if (target == null && topic != null && !topic.isBlank()) {
                target = EventTable.spec(topic.replaceAll("[^A-Za-z0-9_]", "_") + "_events");
            }
            return new EventSink(new EventSinkConfig(client, bootstrap, topic, groupId, target, mapper,
                    deadLetterTopic, maxBatchRows, maxBatchDelay, minBackoff, maxBackoff, pollTimeout, commitTimeout,
                    registry, service, kafka), observations);
        }
    }
}
