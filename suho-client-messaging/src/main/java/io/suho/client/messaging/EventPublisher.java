package io.suho.client.messaging;

import io.suho.events.Event;
import java.util.concurrent.CompletionStage;

/**
 * The hybrid publisher ({@code suho.get(EventPublisher.class)}): one call sends the same {@link Event} envelope on
 * NATS JetStream (speed) and Kafka (durability), with the event id as the dedup key on both ({@code Nats-Msg-Id},
 * {@code ce_id}), and reports each path separately in a {@link PublishOutcome}.
 *
 * <p>The destination names both the Kafka topic and the NATS subject (a JetStream stream must capture that
 * subject; see {@link NatsClient#ensureStream}). Which paths are used and which acks are required comes from the
 * {@link HybridPolicy} for the event's type. Path failures are reported in the outcome, never thrown; only bad input
 * throws. Thread-safe.
 */
public interface EventPublisher {

    /** Publishes under the policy configured for {@code event.type()}; waits for the acks the policy needs. */
    PublishOutcome publish(String destination, Event event);

    /** Publishes under an explicit policy. */
    PublishOutcome publish(String destination, Event event, HybridPolicy policy);

    /** Asynchronous form (NATS ambiguity is reported, not retried, on this path). */
    CompletionStage<PublishOutcome> publishAsync(String destination, Event event);

    /** Asynchronous form under an explicit policy. */
    CompletionStage<PublishOutcome> publishAsync(String destination, Event event, HybridPolicy policy);

    /** The policy in effect for an event type. */
    HybridPolicy policyFor(String eventType);

    /** A builder for a new event of {@code type} with {@code source} set to this service's name. */
    Event.Builder event(String type);
}
