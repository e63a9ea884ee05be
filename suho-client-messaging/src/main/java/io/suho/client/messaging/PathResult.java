package io.suho.client.messaging;

/**
 * What happened to one path (NATS or Kafka) of a hybrid publish.
 *
 * @param status the outcome
 * @param detail where it landed ({@code stream#seq}, {@code topic-partition@offset}) or why it failed
 * @param error the exception for failed/ambiguous/rejected paths, else {@code null}
 */
public record PathResult(Status status, String detail, Throwable error) {

    /** Outcome of one path. */
    public enum Status {
        /** The broker acknowledged the event (for NATS possibly as a duplicate of an earlier publish). */
        ACKED,
        /** The broker did not answer in time: the event may or may not be stored; re-publish the same event. */
        AMBIGUOUS,
        /** The path's circuit breaker is open: nothing was sent. */
        REJECTED,
        /** Sending failed: nothing was stored. */
        FAILED,
        /** The policy does not use this path. */
        SKIPPED
    }

    public static final PathResult SKIPPED = new PathResult(Status.SKIPPED, "not used by the policy", null);

    public boolean acked() {
        return status == Status.ACKED;
    }

    /** The result for a path that failed with {@code error}: ambiguous, rejected (breaker open) or failed. */
    public static PathResult of(Throwable error) {
        if (error instanceof AmbiguousPublishException) {
            return new PathResult(Status.AMBIGUOUS, error.getMessage(), error);
        }
        if (error instanceof io.suho.client.core.StoreUnavailableException su && su.breakerOpen()) {
            return new PathResult(Status.REJECTED, error.getMessage(), error);
        }
        return new PathResult(Status.FAILED, String.valueOf(error.getMessage()), error);
    }
}
