package io.suho.client.messaging.internal;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.messaging.AmbiguousPublishException;
import io.suho.events.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * How jnats failures are read. Not sent: the connection is closed, draining or reconnecting (jnats refuses before
 * queueing anything), or JetStream says it is temporarily unavailable. Outcome unknown: a request or JetStream ack
 * that got no answer (jnats' "Timeout or no response", a request future cancelled by its cleanup or by the connection
 * closing — the message had left). Server answers: JetStream API errors, "no responders" (no stream captures the
 * subject, or nobody serves a request subject). Stateless; thread-safe.
 */
final class NatsFailures implements FailurePolicy {
    static final NatsFailures POLICY = new NatsFailures();

    /** JetStream API codes 10039 / 10076: JetStream is not enabled (for the account): a setup error, not an outage. */
    private static final int JS_NOT_ENABLED_FOR_ACCOUNT = 10039;
    private static final int JS_NOT_ENABLED = 10076;

    private NatsFailures() {
    }

    /** Thrown by the SDK before a publish while the connection is not connected: nothing was queued or sent. */
    static final class NotConnected extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NotConnected(Object status) {
            super("NATS not connected (connection is " + status + ")");
        }
    }

    /** A core request answered with 503 by the server: no subscriber on the subject, nothing processed it. */
    static final class NoResponders extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NoResponders(String subject) {
            super("no responders on subject " + subject);
        }
    }

    @Override
    public Failure classify(Throwable failure) {
        JetStreamApiException api = Causes.find(failure, JetStreamApiException.class);
        if (api != null) {
            String code = Integer.toString(api.getApiErrorCode());
            if (api.getApiErrorCode() == JS_NOT_ENABLED || api.getApiErrorCode() == JS_NOT_ENABLED_FOR_ACCOUNT) {
                return Failure.of(FailureKind.OPERATION_ERROR, code, api)
                        .withHint("enable JetStream on the NATS server (nats-server -js) for this account");
            }
            // 503: JetStream declined the request for now (no leader, no resources): nothing was applied
            return Failure.of(api.getErrorCode() == 503 ? FailureKind.UNAVAILABLE : FailureKind.OPERATION_ERROR,
                    code, api);
        }
        JetStreamStatusException status = Causes.find(failure, JetStreamStatusException.class);
        if (status != null) {
            return Failure.of(FailureKind.OPERATION_ERROR, Integer.toString(status.getStatus().getCode()), status);
        }
        Throwable notSent = Causes.find(failure, NatsFailures::refusedBeforeQueueing);
        if (notSent != null) {
            return Failure.of(FailureKind.UNAVAILABLE, notSent);
        }
        NoResponders none = Causes.find(failure, NoResponders.class);
        if (none != null) {
            return Failure.of(FailureKind.OPERATION_ERROR, "503", none)
                    .withHint("start a service that subscribes to it");
        }
        IOException io = Causes.find(failure, IOException.class);
        if (io != null && io.getMessage() != null) {
            String m = io.getMessage();
            if (m.startsWith("Error Publishing: 503")) {
                // a JetStream publish to a subject no stream captures: the server answered, nothing was stored
                return Failure.of(FailureKind.OPERATION_ERROR, "503", io)
                        .withDetail("no JetStream stream captures the subject (" + m + ")")
                        .withHint("create the stream with ensureStream");
            }
            if (m.startsWith("Error Publishing:") || m.startsWith("Expected ack from stream")) {
                return Failure.of(FailureKind.OPERATION_ERROR, io);
            }
        }
        Throwable unanswered = Causes.find(failure, t -> t instanceof CancellationException
                || t instanceof InterruptedException);
        if (unanswered != null) {
            // jnats cancels a request future its cleanup found unanswered, or when the connection closes under it;
            // either way the message had been queued or sent
            return Failure.of(FailureKind.TIMEOUT, unanswered);
        }
        // "Timeout or no response waiting for NATS JetStream server" is an IOException: TIMEOUT, like any other
        // I/O failure after the message may have left
        return FailurePolicy.generic(failure);
    }

    /**
     * jnats' own refusals, thrown before the message is queued: the connection is closed or draining, or the
     * reconnect buffer is full. Matched on jnats' messages because the type (IllegalStateException) is too broad.
     */
    private static boolean refusedBeforeQueueing(Throwable t) {
        if (t instanceof NotConnected) {
            return true;
        }
        if (!(t instanceof IllegalStateException) || t instanceof CancellationException || t.getMessage() == null) {
            return false;
        }
        String m = t.getMessage();
        return m.equals("Connection is Closed") || m.equals("Connection is Draining")
                || m.startsWith("Unable to queue any more messages during reconnect");
    }

    /** The caller's exception for a JetStream publish of {@code event} whose ack did not come. */
    static AmbiguousPublishException ambiguous(String operation, Duration timeout, Event event, Throwable cause) {
        return new AmbiguousPublishException(Store.NATS, operation, timeout, event.id(), Store.NATS.id() + " "
                + operation + " got no answer within " + ResilienceConfig.format(timeout) + " (outcome unknown): "
                + POLICY.classify(cause).describe() + "; event " + event.id() + " (" + event.type()
                + ") may be stored: re-publish the same event (same id: the stream drops the copy)", cause);
    }
}
