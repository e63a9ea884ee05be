package io.suho.client.messaging;

import io.suho.client.core.Store;
import io.suho.client.core.StoreUnavailableException;
import java.util.UUID;

/**
 * A publish whose outcome is unknown: the broker did not answer in time, so the event may or may not have been
 * stored (a JetStream publish that timed out is usually stored once the connection recovers). Re-publishing the same
 * {@link Event} (same id) is safe — JetStream deduplicates on {@code Nats-Msg-Id} within the stream's duplicate
 * window and Kafka consumers deduplicate on {@code ce_id} — so callers should retry it, never build a new event.
 */
public class AmbiguousPublishException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;
    private final UUID eventId;

    public AmbiguousPublishException(Store store, UUID eventId, String message, Throwable cause) {
        super(store, message, false, cause);
        this.eventId = eventId;
    }

    /** The id to re-publish with. */
    public UUID eventId() {
        return eventId;
    }
}
