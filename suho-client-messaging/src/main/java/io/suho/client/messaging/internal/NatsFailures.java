package io.suho.client.messaging.internal;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import io.suho.client.core.StoreExecutor.FailureKind;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/** How jnats failures count for retries and the NATS breaker. */
public final class NatsFailures {
    private NatsFailures() {
    }

    public static FailureKind classify(Throwable t) {
        if (t instanceof TimeoutException || t instanceof CancellationException) {
            // jnats cancels a request future it could not answer in time (often after a disconnect): unknown outcome
            return FailureKind.TIMEOUT;
        }
        String msg = String.valueOf(t.getMessage());
        if (t instanceof JetStreamApiException api) {
            return api.getErrorCode() == 503 ? FailureKind.UNAVAILABLE : FailureKind.CALLER_ERROR;
        }
        if (t instanceof JetStreamStatusException || msg.contains("No Responders") || msg.contains("503")) {
            // no stream captures the subject (or no responder for a request): the server answered, so it is up
            return FailureKind.CALLER_ERROR;
        }
        if (t instanceof IOException) {
            return msg.contains("Timeout") || msg.contains("timed out") ? FailureKind.TIMEOUT : FailureKind.UNAVAILABLE;
        }
        if (t instanceof IllegalStateException) {
            // "Connection is Closed" / "Connection is reconnecting"
            return FailureKind.UNAVAILABLE;
        }
        if (t instanceof InterruptedException) {
            return FailureKind.UNAVAILABLE;
        }
        return FailureKind.CALLER_ERROR;
    }
}
