package io.suho.client.messaging;

import io.suho.client.core.SuhoException;

/** Thrown by {@link PublishOutcome#orThrow()} when a hybrid publish did not meet its policy; carries the outcome. */
public class HybridPublishException extends SuhoException {
    private static final long serialVersionUID = 1L;
    private final transient PublishOutcome outcome;

    public HybridPublishException(PublishOutcome outcome) {
        super("publish of event " + outcome.eventId() + " did not meet policy " + outcome.policy() + ": " + outcome);
        this.outcome = outcome;
    }

    public PublishOutcome outcome() {
        return outcome;
    }
}
