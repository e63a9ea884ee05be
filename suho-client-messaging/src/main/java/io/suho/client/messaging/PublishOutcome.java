package io.suho.client.messaging;

import java.util.UUID;

/**
 * The result of {@link EventPublisher#publish}: each path reported separately, and whether the policy counts it as
 * a success. A path that was down, ambiguous or whose breaker is open is visible here even when the publish as a
 * whole succeeded (e.g. under {@link HybridPolicy#EITHER}).
 *
 * @param eventId the event's id (re-publish the same event to retry)
 * @param policy the policy applied
 * @param nats the NATS JetStream path
 * @param kafka the Kafka path
 * @param succeeded whether the policy's required acks arrived
 */
public record PublishOutcome(UUID eventId, HybridPolicy policy, PathResult nats, PathResult kafka, boolean succeeded) {

    /** Applies the policy to the two path results. */
    public static PublishOutcome of(UUID id, HybridPolicy policy, PathResult nats, PathResult kafka) {
        boolean ok = switch (policy) {
            case BOTH -> nats.acked() && kafka.acked();
            case EITHER -> nats.acked() || kafka.acked();
            case NATS_FIRST, KAFKA_ONLY -> kafka.acked();
            case NATS_ONLY -> nats.acked();
        };
        return new PublishOutcome(id, policy, nats, kafka, ok);
    }

    /** True when a used path is ambiguous (the event may have been stored there). */
    public boolean ambiguous() {
        return nats.status() == PathResult.Status.AMBIGUOUS || kafka.status() == PathResult.Status.AMBIGUOUS;
    }

    /** Returns this outcome, or throws {@link HybridPublishException} carrying it when it did not succeed. */
    public PublishOutcome orThrow() {
        if (!succeeded) {
            throw new HybridPublishException(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "PublishOutcome{" + eventId + " " + policy + (succeeded ? " ok" : " FAILED") + ", nats=" + nats.status()
                + (nats.acked() || nats.status() == PathResult.Status.SKIPPED ? "" : " (" + nats.detail() + ")")
                + ", kafka=" + kafka.status()
                + (kafka.acked() || kafka.status() == PathResult.Status.SKIPPED ? "" : " (" + kafka.detail() + ")")
                + "}";
    }
}
