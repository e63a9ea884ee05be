package io.suho.client.messaging.internal;

import io.suho.client.core.StoreExecutor.FailureKind;
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
     * True when a failed send may still have written the record: the delivery timed out after the batch could have
     * been sent. A timeout waiting for metadata (nothing was sent) is not ambiguous.
     */
    public static boolean ambiguous(Throwable t) {
        if (!(t instanceof TimeoutException)) {
            return false;
        }
        String m = String.valueOf(t.getMessage());
        return !m.contains("metadata") && !m.contains("allocate memory");
    }
}
