package io.suho.client.messaging.internal;

import io.suho.events.Event;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.ApiResponse;
import io.nats.client.support.JsonParser;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.messaging.AmbiguousPublishException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The jnats failures the SDK meets, as jnats 2.26 throws them, and the kind each one is. */
class NatsFailuresTest {

    private static Failure classify(Throwable t) {
        return NatsFailures.POLICY.classify(t);
    }

    private static JetStreamApiException api(int code, int errCode, String description) throws Exception {
        return new JetStreamApiException(new ApiResponse<Object>(JsonParser.parse("{\"error\":{\"code\":" + code
                + ",\"err_code\":" + errCode + ",\"description\":\"" + description + "\"}}")) {
        });
    }

    @Test
    void aJetStreamAckThatDidNotComeIsATimeoutSyncOrAsync() {
        IOException noAck = new IOException("Timeout or no response waiting for NATS JetStream server");
        assertThat(classify(noAck).kind()).isEqualTo(FailureKind.TIMEOUT);
        // publishAsync wraps it in a RuntimeException inside a CompletionException
        assertThat(classify(new CompletionException(new RuntimeException(noAck))).kind())
                .isEqualTo(FailureKind.TIMEOUT);
        // the request cleanup cancelled it, or the connection closed under it: the message had left
        assertThat(classify(new CancellationException("Future cancelled, response not registered in time, check "
                + "connection status.")).kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new CancellationException("Future cancelled, connection closing.")).kind())
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new IOException(new InterruptedException())).kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(classify(new TimeoutException("Timeout out waiting for connection before flush.")).kind())
                .isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void refusalsBeforeAnythingWasQueuedAreNotSent() {
        assertThat(classify(new NatsFailures.NotConnected("RECONNECTING")).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new IllegalStateException("Connection is Closed")).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new IllegalStateException("Connection is Draining")).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new IllegalStateException(
                "Unable to queue any more messages during reconnect, max buffer is 8388608")).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(classify(new ConnectException("Connection refused")).kind()).isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void serverAnswersAreOperationErrorsWithTheirCode() throws Exception {
        Failure noStream = classify(new IOException("Error Publishing: 503 No Responders Available For Request"));
        assertThat(noStream.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(noStream.errorCode()).isEqualTo("503");
        assertThat(noStream.describe()).contains("no JetStream stream captures the subject").contains("ensureStream");

        Failure noResponders = classify(new NatsFailures.NoResponders("quotes.get"));
        assertThat(noResponders.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(noResponders.detail()).contains("no responders on subject quotes.get");

        Failure notFound = classify(api(404, 10059, "stream not found"));
        assertThat(notFound.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(notFound.errorCode()).isEqualTo("10059");

        Failure notEnabled = classify(api(503, 10039, "jetstream not enabled for account"));
        assertThat(notEnabled.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(notEnabled.hint()).contains("enable JetStream");
    }

    @Test
    void jetStreamTemporarilyUnavailableIsNotSent() throws Exception {
        Failure f = classify(api(503, 10008, "JetStream system temporarily unavailable"));
        assertThat(f.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.errorCode()).isEqualTo("10008");
    }

    @Test
    void anExceptionOfTheCallersOwnCodePassesThrough() {
        assertThat(classify(new IllegalStateException("order book is empty")).kind())
                .isEqualTo(FailureKind.CALLER_CODE);
        assertThat(classify(new IllegalArgumentException("bad subject")).kind()).isEqualTo(FailureKind.CALLER_CODE);
    }

    @Test
    void anAmbiguousPublishIsATimeoutWithTheEventIdNeverANotSent() {
        Event e = Event.builder("order.created").source("test").build();
        AmbiguousPublishException a = NatsFailures.ambiguous("js_publish", Duration.ofMillis(800), e,
                new IOException("Timeout or no response waiting for NATS JetStream server"));
        assertThat(a).isInstanceOf(StoreTimeoutException.class).isNotInstanceOf(StoreUnavailableException.class);
        assertThat(a.eventId()).isEqualTo(e.id());
        assertThat(a.operation()).isEqualTo("js_publish");
        assertThat(a.timeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(a.serverReported()).isFalse();
        assertThat(a).hasMessageStartingWith("nats js_publish got no answer within 800ms (outcome unknown): "
                + "Timeout or no response waiting for NATS JetStream server").hasMessageContaining(e.id().toString());
    }
}
