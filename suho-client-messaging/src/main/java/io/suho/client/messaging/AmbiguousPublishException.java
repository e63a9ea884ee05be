package io.suho.client.messaging;

import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.events.Event;
import java.time.Duration;
import java.util.UUID;

/**
 * A publish whose outcome is unknown, carrying the event id to re-publish with: the broker did not answer in time,
 * so the event may or may not have been stored (a JetStream publish that timed out is usually stored once the
 * connection recovers; a Kafka record not acked in time is still being retried by the producer).
 *
 * <p>It is a {@link StoreTimeoutException}, not a {@link io.suho.client.core.StoreUnavailableException}: a handler
 * that degrades when a store is down must not treat it as "not sent". Re-publishing the same {@link Event} (same id)
 * is safe — JetStream deduplicates on {@code Nats-Msg-Id} within the stream's duplicate window, a Kafka re-send from
 * the same client joins the first attempt, and Kafka consumers deduplicate on {@code ce_id} — so retry with it, never
 * with a new event.
 */
public class AmbiguousPublishException extends StoreTimeoutException {
    private static final long serialVersionUID = 1L;
    private final UUID eventId;

    /**
     * @param store the store published to
     * @param operation the operation name ({@code js_publish}, {@code js_publish_async}, {@code kafka_send})
     * @param timeout the time the publish was given
     * @param eventId the id of the event whose outcome is unknown
     * @param message the whole message
     * @param cause the driver's failure
     */
    public AmbiguousPublishException(Store store, String operation, Duration timeout, UUID eventId, String message,
            Throwable cause) {
        super(store, operation, timeout, false, message, cause);
        this.eventId = eventId;
    }

    /** The id to re-publish with. */
    public UUID eventId() {
        return eventId;
    }
}
