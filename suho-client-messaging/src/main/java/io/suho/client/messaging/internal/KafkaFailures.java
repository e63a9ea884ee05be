package io.suho.client.messaging.internal;

import io.suho.client.core.Store;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoException;
import io.suho.client.messaging.AmbiguousPublishException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/** How Kafka client failures count for retries and the Kafka breaker. */
public final class KafkaFailures {
    private KafkaFailures() {
    }

    public static FailureKind classify(Throwable t) {
        if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return FailureKind.TIMEOUT;
        }
        if (t instanceof RetriableException || t instanceof DisconnectException || t instanceof NetworkException
                || t instanceof InterruptException || t instanceof InterruptedException
                || t instanceof java.io.IOException) {
            return FailureKind.UNAVAILABLE;
        }
        if (t instanceof KafkaException && t.getCause() != null && t.getCause() != t) {
            return classify(t.getCause()) == FailureKind.CALLER_ERROR ? FailureKind.CALLER_ERROR
                    : classify(t.getCause());
        }
        return FailureKind.CALLER_ERROR;
    }

    /**
     * The caller's exception: a send not acked within the timeout is an {@link AmbiguousPublishException} carrying
     * the event id; otherwise the SDK's default mapping.
     */
    public static RuntimeException translate(String operation, Throwable failure, FailureKind kind) {
        if (failure instanceof KafkaSends.SendTimeout st) {
            if (st.eventId != null) {
                return new AmbiguousPublishException(Store.KAFKA, st.eventId, "Kafka send of event " + st.eventId
                        + " " + st.getMessage() + "; outcome unknown: re-send the same event (consumers dedupe on"
                        + " ce_id)", st);
            }
            return new StoreUnavailableException(Store.KAFKA, operation + " " + st.getMessage() + " (outcome unknown)",
                    false, st);
        }
        if (failure instanceof SuhoException && failure instanceof RuntimeException re) {
            return re;
        }
        return switch (kind) {
            case UNAVAILABLE -> new StoreUnavailableException(Store.KAFKA, operation + " failed: " + failure, false,
                    failure);
            case TIMEOUT -> new StoreUnavailableException(Store.KAFKA, operation + " timed out (outcome unknown): "
                    + failure, false, failure);
            case CALLER_ERROR -> new StoreOperationException(Store.KAFKA, operation, null,
                    String.valueOf(failure.getMessage()), failure);
        };
    }
}
