package io.suho.client.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.messaging.AmbiguousPublishException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** The kafka-clients failures the SDK meets, with kafka-clients 4.x messages, and the kind each one is. */
class KafkaFailuresTest {

    private static Failure classify(Throwable t) {
        return KafkaFailures.POLICY.classify(t);
    }

    @Test
    void waitingForMetadataOrBufferBeforeTheAppendIsNotSent() {
        assertThat(classify(new TimeoutException("Topic trades not present in metadata after 600 ms.")).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new TimeoutException("Partition 7 of topic trades with partition count 6 is not present "
                + "in metadata after 600 ms.")).kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new BufferExhaustedException("Failed to allocate 100 bytes within the configured max "
                + "blocking time 600 ms.")).kind()).isEqualTo(FailureKind.UNAVAILABLE);
        // the admin client had no node to send the call to
        assertThat(classify(new ExecutionException(new TimeoutException("Timed out waiting for a node assignment. "
                + "Call: createTopics"))).kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new ConnectException("Connection refused")).kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new NotEnoughReplicasException("not enough in-sync replicas")).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new KafkaException("Producer closed while send in progress",
                new KafkaException("closed"))).kind()).isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void aTopicTheBrokerSaysDoesNotExistIsAnOperationErrorNotAnOutage() {
        Failure f = classify(new TimeoutException("Topic nope not present in metadata after 600 ms.",
                new UnknownTopicOrPartitionException("This server does not host this topic-partition.")));
        assertThat(f.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(f.errorCode()).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(f.hint()).contains("ensureTopic");
    }

    @Test
    void aTimeoutAfterTheRecordWasHandedOverIsOutcomeUnknown() {
        TimeoutException expiring = new TimeoutException("Expiring 1 record(s) for trades-0:120000 ms has passed "
                + "since batch creation. The request has not been sent, or no server response has been received yet.");
        assertThat(classify(expiring).kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new ExecutionException(expiring)).kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new KafkaSends.SendTimeout(600)).kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new java.util.concurrent.TimeoutException()).kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new NetworkException("The server disconnected before a response was received.")).kind())
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new DisconnectException("disconnected")).kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new InterruptException(new InterruptedException())).kind())
                .isEqualTo(FailureKind.TIMEOUT);
        Thread.interrupted(); // InterruptException sets the flag
    }

    @Test
    void rejectedRecordsAndDeniedAccessAreOperationErrors() {
        Failure tooLarge = classify(new RecordTooLargeException("The message is 2097240 bytes when serialized which "
                + "is larger than 1048576, which is the value of the max.request.size configuration."));
        assertThat(tooLarge.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(tooLarge.errorCode()).isEqualTo("MESSAGE_TOO_LARGE"); // Kafka's name for RecordTooLargeException

        assertThat(classify(new SerializationException("Can't convert value")).kind())
                .isEqualTo(FailureKind.OPERATION_ERROR);

        Failure denied = classify(new TopicAuthorizationException("Not authorized to access topics: [trades]"));
        assertThat(denied.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(denied.errorCode()).isEqualTo("TOPIC_AUTHORIZATION_FAILED");
        assertThat(denied.hint()).contains("ACL");
        // denied while waiting for metadata: still an answer, not an outage
        assertThat(classify(new TimeoutException("Topic trades not present in metadata after 600 ms.",
                new TopicAuthorizationException("denied"))).kind()).isEqualTo(FailureKind.OPERATION_ERROR);
    }

    @Test
    void failedAuthenticationIsNotSentWithAHint() {
        Failure f = classify(new SaslAuthenticationException("Authentication failed: Invalid username or password"));
        assertThat(f.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.hint()).contains("suho.kafka");
    }

    @Test
    void anExceptionOfTheCallersOwnCodePassesThrough() {
        assertThat(classify(new IllegalStateException("no price")).kind()).isEqualTo(FailureKind.CALLER_CODE);
    }

    @Test
    void anAmbiguousSendIsATimeoutWithTheEventIdNeverANotSent() {
        UUID id = UUID.randomUUID();
        AmbiguousPublishException a = KafkaFailures.ambiguous("kafka_send", Duration.ofMillis(600), id,
                new KafkaSends.SendTimeout(600));
        assertThat(a).isInstanceOf(StoreTimeoutException.class).isNotInstanceOf(StoreUnavailableException.class);
        assertThat(a.eventId()).isEqualTo(id);
        assertThat(a.timeout()).isEqualTo(Duration.ofMillis(600));
        assertThat(a).hasMessageStartingWith("kafka kafka_send got no answer within 600ms (outcome unknown): not acked"
                + " within 600 ms").hasMessageContaining(id.toString());
    }
}
