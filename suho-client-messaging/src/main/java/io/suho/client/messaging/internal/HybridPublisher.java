package io.suho.client.messaging.internal;

import io.suho.client.core.spi.Causes;
import io.suho.client.messaging.EventPublisher;
import io.suho.client.messaging.HybridPolicy;
import io.suho.client.messaging.JsAck;
import io.suho.client.messaging.NatsClient;
import io.suho.client.messaging.PathResult;
import io.suho.client.messaging.PublishOutcome;
import io.suho.events.Event;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@link EventPublisher} over the SDK's NATS and Kafka clients: each path runs through its own store's breaker and
 * timeout, and is reported on its own. Thread-safe.
 */
public final class HybridPublisher implements EventPublisher {
    private final NatsClient nats;
    private final ApacheKafkaClient kafka;
    private final String service;
    private final HybridPolicy defaultPolicy;
    private final Map<String, HybridPolicy> perType;

    HybridPublisher(NatsClient nats, ApacheKafkaClient kafka, HybridPolicy defaultPolicy,
            Map<String, HybridPolicy> perType, String service) {
        this.nats = nats;
        this.kafka = kafka;
        this.service = service;
        this.defaultPolicy = defaultPolicy;
        this.perType = Map.copyOf(perType);
    }

    @Override
    public HybridPolicy policyFor(String eventType) {
        return perType.getOrDefault(eventType, defaultPolicy);
    }

    @Override
    public Event.Builder event(String type) {
        return Event.builder(type).source(service);
    }

    @Override
    public PublishOutcome publish(String destination, Event event) {
        Objects.requireNonNull(event, "event");
        return publish(destination, event, policyFor(event.type()));
    }

    @Override
    public PublishOutcome publish(String destination, Event event, HybridPolicy policy) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(policy, "policy");
        checkDestination(destination);
        CompletableFuture<RecordMetadata> k = null;
        if (policy.usesKafka() && policy != HybridPolicy.NATS_FIRST) {
            k = kafka.send(destination, event).toCompletableFuture(); // in flight while NATS is published
        }
        PathResult n = PathResult.SKIPPED;
        if (policy != HybridPolicy.KAFKA_ONLY) {
            try {
                n = natsResult(nats.jsPublish(destination, event));
            } catch (RuntimeException e) {
                if (e instanceof IllegalArgumentException) {
                    throw e;
                }
                n = failure(e);
            }
        }
        if (policy == HybridPolicy.NATS_FIRST) {
            k = kafka.send(destination, event).toCompletableFuture();
        }
        PathResult kr = PathResult.SKIPPED;
        if (k != null) {
            try {
                kr = kafkaResult(k.join());
            } catch (RuntimeException e) {
                kr = failure(Causes.unwrap(e));
            }
        }
        return outcome(event, policy, n, kr);
    }

    @Override
    public CompletionStage<PublishOutcome> publishAsync(String destination, Event event) {
        Objects.requireNonNull(event, "event");
        return publishAsync(destination, event, policyFor(event.type()));
    }

    @Override
    public CompletionStage<PublishOutcome> publishAsync(String destination, Event event, HybridPolicy policy) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(policy, "policy");
        checkDestination(destination);
        CompletableFuture<PathResult> n = policy.usesNats()
                ? nats.jsPublishAsync(destination, event).toCompletableFuture()
                        .handle((ack, e) -> e == null ? natsResult(ack) : failure(Causes.unwrap(e)))
                : CompletableFuture.completedFuture(PathResult.SKIPPED);
        CompletableFuture<PathResult> k = policy.usesKafka()
                ? kafka.send(destination, event).toCompletableFuture()
                        .handle((md, e) -> e == null ? kafkaResult(md) : failure(Causes.unwrap(e)))
                : CompletableFuture.completedFuture(PathResult.SKIPPED);
        return n.thenCombine(k, (nr, kr) -> outcome(event, policy, nr, kr));
    }

    private static PublishOutcome outcome(Event event, HybridPolicy policy, PathResult n, PathResult k) {
        return PublishOutcome.of(event.id(), policy, n, k);
    }

    private static PathResult natsResult(JsAck ack) {
        return new PathResult(PathResult.Status.ACKED, ack.stream() + "#" + ack.sequence()
                + (ack.duplicate() ? " (duplicate)" : "") + (ack.retriedAfterTimeout() ? " (after a timeout)" : ""),
                null);
    }

    private static PathResult kafkaResult(RecordMetadata md) {
        return new PathResult(PathResult.Status.ACKED, md.topic() + "-" + md.partition() + "@" + md.offset(), null);
    }

    private static PathResult failure(Throwable e) {
        return PathResult.of(e);
    }

    private static void checkDestination(String d) {
        if (d == null || !d.matches("[A-Za-z0-9._-]{1,249}") || d.startsWith(".") || d.endsWith(".")
                || d.contains("..")) {
            throw new IllegalArgumentException("destination '" + d + "' must be a valid Kafka topic and NATS subject:"
                    + " 1-249 of [A-Za-z0-9._-], no empty '.' segments");
        }
    }
}
