package io.suho.pipelines;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.spi.Backoff;
import io.suho.client.core.spi.Causes;
import io.suho.client.messaging.AmbiguousPublishException;
import io.suho.client.messaging.EventPublisher;
import io.suho.client.messaging.HybridPolicy;
import io.suho.client.messaging.KafkaClient;
import io.suho.client.postgres.Isolation;
import io.suho.client.postgres.Outbox;
import io.suho.client.postgres.PostgresClient;
import io.suho.client.postgres.Transaction;
import io.suho.events.Event;
import io.suho.pipelines.internal.OutboxRow;
import io.suho.pipelines.internal.TraceContinuation;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the rows of the PostgreSQL transactional outbox ({@code suho_outbox}, written with
 * {@code PostgresClient.outbox().append(tx, …)}) to Kafka, or through the hybrid publisher, and marks them sent.
 *
 * <p>Each batch runs in one PostgreSQL transaction: select the oldest unsent rows in creation order with
 * {@code FOR UPDATE SKIP LOCKED} (so several relay instances share the work without blocking each other), publish
 * them all, wait for the acks, then mark the acked rows {@code sent_at = now()} and count attempts/{@code last_error}
 * on the rest, in the same transaction that locked them. At least once: a crash between publish and commit
 * re-publishes the batch, with the same event ids, so consumers deduplicate. Only a row whose publish was acked is
 * marked sent: a publish whose outcome is unknown ({@link AmbiguousPublishException}, any
 * {@link io.suho.client.core.StoreTimeoutException}) counts as failed and is re-published later with the same id,
 * which the broker (JetStream) or the consumers ({@code ce_id}) deduplicate. After a failed batch the relay backs off
 * with the SDK's {@link Backoff} ({@code minBackoff} doubling to {@code maxBackoff}, ±50 % jitter); a row that failed
 * {@code maxAttempts} times is left in the table (visible as {@code attempts}/{@code last_error}) and skipped so it
 * cannot block the rest.
 *
 * <p>Metrics: {@code suho.outbox.lag} (seconds since the oldest unsent row was created), {@code suho.outbox.published}
 * and {@code suho.outbox.failures} counters, tagged {@code service}. Traces: each row's publish is a
 * {@code suho.outbox.relay} observation on the SDK's {@code ObservationRegistry} continuing the trace of the
 * append that wrote the row (its {@code traceparent} column). Thread-safe; {@link #close()} stops the
 * background loop after its current batch.
 *
 * <pre>{@code
 * try (OutboxRelay relay = OutboxRelay.builder(suho).start()) { ... }   // Kafka only, defaults
 * }</pre>
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final PostgresClient pg;
    private final KafkaClient kafka;
    private final EventPublisher publisher;
    private final HybridPolicy policy;
    private final String source;
    private final int batchSize;
    private final Duration pollInterval;
    private final Backoff backoff;
    private final int maxAttempts;
    private final java.util.function.Consumer<Transaction> afterPublish;
    private final String[] topics;
    private final String selectSql;
    private final String lagSql;
    private final MeterRegistry registry;
    private final ObservationRegistry observations;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter published;
    private final Counter failures;
    private final AtomicLong lagMillis = new AtomicLong();
    private final AtomicLong publishedTotal = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running;
    private Thread thread;

    private OutboxRelay(Builder b) {
        this.pg = b.suho.get(PostgresClient.class);
        this.policy = b.policy;
        this.kafka = policy == HybridPolicy.KAFKA_ONLY ? b.suho.get(KafkaClient.class) : null;
        this.publisher = policy == HybridPolicy.KAFKA_ONLY ? null : b.suho.get(EventPublisher.class);
        this.source = b.suho.serviceName();
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.backoff = Backoff.of(b.minBackoff, b.maxBackoff);
        this.maxAttempts = b.maxAttempts;
        this.afterPublish = b.afterPublish;
        this.topics = b.topics == null ? null : b.topics.toArray(String[]::new);
        String topicFilter = topics == null ? "" : " AND topic = ANY(?)";
        this.selectSql = "SELECT event_id, topic, event_key, event_type, payload, headers::text, created_at,"
                + " traceparent, tracestate FROM "
                + Outbox.TABLE + " WHERE sent_at IS NULL AND attempts < ?" + topicFilter
                + " ORDER BY created_at, event_id LIMIT ? FOR UPDATE SKIP LOCKED";
        this.lagSql = "SELECT min(created_at) FROM " + Outbox.TABLE + " WHERE sent_at IS NULL AND attempts < ?"
                + topicFilter;
        this.registry = b.suho.meterRegistry();
        this.observations = b.suho.observationRegistry();
        String service = b.suho.serviceName();
        this.published = Counter.builder("suho.outbox.published").description("Outbox rows published and marked sent")
                .tag("service", service).register(registry);
        this.failures = Counter.builder("suho.outbox.failures").description("Outbox rows whose publish failed")
                .tag("service", service).register(registry);
        meters.add(published);
        meters.add(failures);
        meters.add(Gauge.builder("suho.outbox.lag", lagMillis, a -> a.get() / 1000.0)
                .description("Age of the oldest unsent outbox row").baseUnit("seconds").tag("service", service)
                .register(registry));
    }

    /** A relay over the clients of {@code suho} (its {@code PostgresClient} and Kafka / hybrid publisher). */
    public static Builder builder(SuhoClients suho) {
        return new Builder(Objects.requireNonNull(suho, "suho"));
    }

    /** Starts the background loop on its own thread. */
    public OutboxRelay start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("outbox relay already started");
        }
        running = true;
        thread = new Thread(this::loop, "suho-outbox-relay");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void loop() {
        int failedInARow = 0;
        try {
            while (running) {
                Duration wait;
                try {
                    int[] r = runBatch();
                    updateLag();
                    if (r[1] > 0) {
                        failedInARow = Math.min(failedInARow + 1, 64);
                        wait = backoff.delay(failedInARow);
                    } else {
                        failedInARow = 0;
                        wait = r[0] == batchSize ? Duration.ZERO : pollInterval;
                    }
                } catch (RuntimeException e) {
                    failedInARow = Math.min(failedInARow + 1, 64);
                    wait = backoff.delay(failedInARow);
                    log.warn("outbox batch failed ({}); retrying in {} ms", e.toString(), wait.toMillis());
                }
                if (!wait.isZero() && stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
            finished.countDown();
        }
    }

    /**
     * Relays one batch now (on the caller's thread) and returns how many rows were published. Useful in tests and
     * for a relay driven by the application's own scheduler.
     */
    public int runOnce() {
        int n = runBatch()[0];
        updateLag();
        return n;
    }

    /** {published, failed} of one batch. */
    private int[] runBatch() {
        pg.outbox().ensureTable(); // the SDK's outbox table may not exist before the first append: create it
        return pg.inTransaction(Isolation.READ_COMMITTED, tx -> {
            Object[] params = topics == null ? new Object[] {maxAttempts, batchSize}
                    : new Object[] {maxAttempts, tx.connection().createArrayOf("text", topics), batchSize};
            List<OutboxRow> rows = tx.query(selectSql, rs -> new OutboxRow((UUID) rs.getObject(1), rs.getString(2),
                    rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getString(6), rs.getTimestamp(7),
                    rs.getString(8), rs.getString(9)), params);
            if (rows.isEmpty()) {
                return new int[] {0, 0};
            }
            List<CompletableFuture<String>> sends = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                sends.add(publish(row));
            }
            List<UUID> sent = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < rows.size(); i++) {
                String error;
                try {
                    error = sends.get(i).join();
                } catch (RuntimeException e) {
                    error = String.valueOf(e.getCause() != null ? e.getCause() : e);
                }
                if (error == null) {
                    sent.add(rows.get(i).id());
                } else {
                    failed++;
                    tx.update("UPDATE " + Outbox.TABLE + " SET attempts = attempts + 1, last_error = ? "
                            + "WHERE event_id = ?", error.length() > 1000 ? error.substring(0, 1000) : error,
                            rows.get(i).id());
                }
            }
            if (afterPublish != null) {
                afterPublish.accept(tx);
            }
            if (!sent.isEmpty()) {
                Array ids = tx.connection().createArrayOf("uuid", sent.toArray());
                tx.update("UPDATE " + Outbox.TABLE + " SET sent_at = now(), attempts = attempts + 1 "
                        + "WHERE event_id = ANY(?)", ids);
            }
            published.increment(sent.size());
            publishedTotal.addAndGet(sent.size());
            failures.increment(failed);
            if (failed > 0) {
                log.warn("outbox relay: {} of {} rows failed to publish (first error kept in last_error)", failed,
                        rows.size());
            }
            return new int[] {sent.size(), failed};
        });
    }

    /**
     * Completes with null on success or the error text. The publish is a consumer observation continuing the trace of
     * the append ({@code traceparent} column), so the send's producer span — whose context the record carries — is
     * its child; without tracing the event carries the append's own trace context.
     */
    private CompletableFuture<String> publish(OutboxRow row) {
        Event event;
        try {
            event = row.toEvent(source);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture("not a valid event: " + e.getMessage());
        }
        Observation relay = TraceContinuation.start(observations, "suho.outbox.relay", row.topic() + " relay",
                row.validTraceparent(), row.tracestate(), row.topic());
        CompletableFuture<String> result;
        try (Observation.Scope scope = relay.openScope()) {
            if (kafka != null) {
                result = kafka.send(row.topic(), event).toCompletableFuture()
                        .handle((md, e) -> e == null ? null : String.valueOf(Causes.unwrap(e)));
            } else {
                result = publisher.publishAsync(row.topic(), event, policy).toCompletableFuture()
                        .thenApply(o -> o.succeeded() ? null : String.valueOf(o));
            }
        } catch (RuntimeException e) {
            result = CompletableFuture.completedFuture(e.toString());
        }
        return result.whenComplete((error, e) -> {
            relay.lowCardinalityKeyValue("outcome", error == null && e == null ? "success" : "error");
            relay.stop();
        });
    }

    private void updateLag() {
        try {
            Object[] params = topics == null ? new Object[] {maxAttempts} : null;
            Instant oldest;
            if (params != null) {
                oldest = pg.queryOne(lagSql, rs -> {
                    Timestamp t = rs.getTimestamp(1);
                    return t == null ? Instant.EPOCH : t.toInstant();
                }, params).orElse(Instant.EPOCH);
            } else {
                oldest = pg.inTransaction(tx -> tx.queryOne(lagSql, rs -> {
                    Timestamp t = rs.getTimestamp(1);
                    return t == null ? Instant.EPOCH : t.toInstant();
                }, maxAttempts, tx.connection().createArrayOf("text", topics)).orElse(Instant.EPOCH));
            }
            lagMillis.set(oldest.equals(Instant.EPOCH) ? 0 : Math.max(0,
                    Duration.between(oldest, Instant.now()).toMillis()));
        } catch (RuntimeException e) {
            log.debug("outbox lag query failed: {}", e.toString());
        }
    }

    /** Age of the oldest unsent (and not given-up) row at the last check; zero when the outbox is drained. */
    public Duration lag() {
        return Duration.ofMillis(lagMillis.get());
    }

    /** Rows published so far by this relay. */
    public long publishedCount() {
        return publishedTotal.get();
    }

    @Override
    public void close() {
        running = false;
        stop.countDown();
        if (thread != null) {
            try {
                if (!finished.await(30, TimeUnit.SECONDS)) {
                    thread.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        meters.forEach(registry::remove);
    }

    /** Configures an {@link OutboxRelay}; not thread-safe. */
    public static final class Builder {
        private final SuhoClients suho;
        private HybridPolicy policy = HybridPolicy.KAFKA_ONLY;
        private int batchSize = 200;
        private Duration pollInterval = Duration.ofMillis(200);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private int maxAttempts = 20;
        private Set<String> topics;
        private java.util.function.Consumer<Transaction> afterPublish;

        private Builder(SuhoClients suho) {
            this.suho = suho;
        }

        /** {@link HybridPolicy#KAFKA_ONLY} (default: Kafka producer only) or a hybrid policy (NATS + Kafka). */
        public Builder policy(HybridPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Rows per transaction (default 200). */
        public Builder batchSize(int n) {
            if (n < 1 || n > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1..10000, was " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Wait after a batch that found fewer rows than the batch size (default 200 ms). */
        public Builder pollInterval(Duration d) {
            this.pollInterval = Objects.requireNonNull(d, "pollInterval");
            return this;
        }

        /** Backoff after a failed batch, doubling from min to max with ±50 % jitter (default 100 ms..10 s). */
        public Builder backoff(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("backoff must be 0 < min <= max, was " + min + ".." + max);
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** Attempts after which a row is left alone (default 20). */
        public Builder maxAttempts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /** Relay only these topics (default: all), e.g. to give a hot topic its own relay. */
        public Builder topics(Set<String> topics) {
            this.topics = Set.copyOf(topics);
            return this;
        }

        /** Test hook: runs after a batch was published and before it is marked sent (e.g. to kill the relay there). */
        Builder afterPublish(java.util.function.Consumer<Transaction> hook) {
            this.afterPublish = hook;
            return this;
        }

        /** Builds a relay without starting its loop (use {@link OutboxRelay#runOnce()} or {@code start()}). */
        public OutboxRelay build() {
            return new OutboxRelay(this);
        }

        /** Builds and starts the background loop. */
        public OutboxRelay start() {
            return build().start();
        }
    }
}
