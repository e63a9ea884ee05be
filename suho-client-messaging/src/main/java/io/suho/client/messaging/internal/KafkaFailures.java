package io.suho.client.messaging.internal;

import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.messaging.AmbiguousPublishException;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * How kafka-clients failures are read. The line between "not sent" and "outcome unknown" is whether the record (or
 * admin call) was handed over: {@code send()} waits up to {@code max.block.ms} for the topic's metadata and for buffer
 * space <em>before</em> appending the record ("Topic … not present in metadata", {@link BufferExhaustedException}),
 * and the admin client waits for a node before sending a call — those timeouts are UNAVAILABLE. A timeout after the
 * record was appended (the SDK's deadline, the producer's "Expiring N record(s)" delivery timeout) or a connection
 * lost mid-request is TIMEOUT. Records the broker or client reject (too large, not serialisable, not authorised,
 * unknown topic) are OPERATION_ERROR with Kafka's error name as the code. Stateless; thread-safe.
 */
final class KafkaFailures implements FailurePolicy {
    static final KafkaFailures POLICY = new KafkaFailures();

    private KafkaFailures() {
    }

    @Override
    public Failure classify(Throwable failure) {
        Throwable f = Causes.unwrap(failure);
        AuthorizationException denied = Causes.find(f, AuthorizationException.class);
        if (denied != null) {
            return operationError(denied).withHint("grant the client's principal access (Kafka ACLs)");
        }
        AuthenticationException unauthenticated = Causes.find(f, AuthenticationException.class);
        if (unauthenticated != null) {
            // the broker closed the connection at the handshake: nothing was sent
            return Failure.of(FailureKind.UNAVAILABLE, unauthenticated)
                    .withHint("check suho.kafka.username/password and suho.kafka.client.* (sasl, ssl)");
        }
        TimeoutException timeout = Causes.find(f, TimeoutException.class);
        if (timeout != null) {
            return timeout(timeout);
        }
        Throwable rejected = Causes.find(f, t -> t instanceof RecordTooLargeException
                || t instanceof RecordBatchTooLargeException || t instanceof SerializationException
                || t instanceof CorruptRecordException || t instanceof UnknownTopicOrPartitionException);
        if (rejected != null) {
            return operationError(rejected);
        }
        Throwable lost = Causes.find(f, t -> t instanceof NetworkException || t instanceof DisconnectException
                || t instanceof InterruptException || t instanceof InterruptedException);
        if (lost != null) {
            // the connection dropped (or the caller gave up waiting) with the request possibly on the wire
            return Failure.of(FailureKind.TIMEOUT, lost);
        }
        RetriableException notNow = Causes.find(f, RetriableException.class);
        if (notNow != null) {
            // the broker answered "not now" (no leader, not enough replicas, coordinator loading): not applied
            return Failure.of(FailureKind.UNAVAILABLE, notNow);
        }
        KafkaException kafka = Causes.find(f, KafkaException.class);
        if (kafka != null) {
            if ("Producer closed while send in progress".equals(kafka.getMessage())) {
                return Failure.of(FailureKind.UNAVAILABLE, kafka);
            }
            return operationError(kafka);
        }
        return FailurePolicy.generic(f);
    }

    private static Failure timeout(TimeoutException t) {
        String m = String.valueOf(t.getMessage());
        if (t instanceof BufferExhaustedException || m.contains("not present in metadata after")
                || m.startsWith("Timed out waiting for a node assignment")
                || m.startsWith("Timed out waiting to send the call")) {
            if (Causes.has(t.getCause(), UnknownTopicOrPartitionException.class)) {
                // the broker answered that the topic does not exist: not an outage
                return operationError(Causes.find(t.getCause(), UnknownTopicOrPartitionException.class))
                        .withHint("create the topic with ensureTopic");
            }
            return Failure.of(FailureKind.UNAVAILABLE, t);
        }
        return Failure.of(FailureKind.TIMEOUT, t);
    }

    private static Failure operationError(Throwable t) {
        Errors e = t instanceof ApiException ? Errors.forException(t) : Errors.UNKNOWN_SERVER_ERROR;
        return Failure.of(FailureKind.OPERATION_ERROR, e == Errors.UNKNOWN_SERVER_ERROR ? null : e.name(), t);
    }

    /** The caller's exception for a send of event {@code eventId} that was not acked in time. */
    static AmbiguousPublishException ambiguous(String operation, Duration timeout, UUID eventId, Throwable cause) {
        return new AmbiguousPublishException(Store.KAFKA, operation, timeout, eventId, Store.KAFKA.id() + " "
                + operation + " got no answer within " + ResilienceConfig.format(timeout) + " (outcome unknown): "
                + Causes.describe(cause) + "; event " + eventId + ": re-send the same event (from this client it joins"
                + " the first attempt; consumers dedupe on ce_id)", cause);
    }
}
