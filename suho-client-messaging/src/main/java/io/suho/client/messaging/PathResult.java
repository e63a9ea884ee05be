package io.suho.client.messaging;

import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoException;
import io.suho.events.EventFormatException;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one path (NATS or Kafka) of a hybrid publish.
 *
 * @param status the outcome
 * @param detail where it landed ({@code stream#seq}, {@code topic-partition@offset}) or why it failed
 * @param error the exception for failed/ambiguous/rejected paths, else {@code null}
 */
public record PathResult(Status status, String detail, @Nullable Throwable error) {

    /** Outcome of one path. */
    public enum Status {
        /** The broker acknowledged the event (for NATS possibly as a duplicate of an earlier publish). */
        ACKED,
        /**
         * The outcome is unknown — the broker did not answer in time, or the connection was lost after the event
         * left: it may or may not be stored; re-publish the same event (same id).
         */
        AMBIGUOUS,
        /** The path's circuit breaker is open: nothing was sent. */
        REJECTED,
        /** Not stored: the event was not sent (store unavailable), or the broker rejected it (e.g. no stream). */
        FAILED,
        /** The policy does not use this path. */
        SKIPPED
    }

    public static final PathResult SKIPPED = new PathResult(Status.SKIPPED, "not used by the policy", null);

    public boolean acked() {
        return status == Status.ACKED;
    }

    /**
     * The result for a path that failed with {@code error}: rejected (breaker open), failed (not sent, or rejected by
     * the broker: certainly not stored) or ambiguous. Only the SDK's typed "not stored" failures count as failed; a
     * {@link StoreTimeoutException} ({@link AmbiguousPublishException} included) and anything unexpected may have
     * been stored, so they are ambiguous — re-publishing the same event is safe either way.
     */
    public static PathResult of(Throwable error) {
        if (error instanceof StoreUnavailableException su) {
            return new PathResult(su.breakerOpen() ? Status.REJECTED : Status.FAILED, su.getMessage(), error);
        }
        if (error instanceof SuhoException && !(error instanceof StoreTimeoutException)) {
            // StoreOperationException (the broker answered with an error), EventFormatException (never sent)
            return new PathResult(Status.FAILED, String.valueOf(error.getMessage()), error);
        }
        return new PathResult(Status.AMBIGUOUS, String.valueOf(error.getMessage()), error);
    }
}
