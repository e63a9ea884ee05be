package io.suho.client.messaging;

import io.suho.events.EventFormatException;
import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A hybrid path is reported FAILED only when the event certainly was not stored. */
class PathResultTest {

    @Test
    void anOutcomeUnknownIsAmbiguousNeverFailed() {
        assertThat(PathResult.of(new AmbiguousPublishException(Store.NATS, "js_publish", Duration.ofMillis(800),
                UUID.randomUUID(), "no ack", null)).status()).isEqualTo(PathResult.Status.AMBIGUOUS);
        assertThat(PathResult.of(new StoreTimeoutException(Store.KAFKA, "kafka_send", Duration.ofMillis(600), false,
                "no ack", null)).status()).isEqualTo(PathResult.Status.AMBIGUOUS);
        assertThat(PathResult.of(new IllegalStateException("unexpected")).status())
                .isEqualTo(PathResult.Status.AMBIGUOUS);
    }

    @Test
    void notSentOrRejectedByTheBrokerIsFailedAndAnOpenBreakerIsRejected() {
        assertThat(PathResult.of(new StoreUnavailableException(Store.NATS, "js_publish was not sent", false, null))
                .status()).isEqualTo(PathResult.Status.FAILED);
        assertThat(PathResult.of(new StoreOperationException(Store.NATS, "js_publish", "503", "no stream", null))
                .status()).isEqualTo(PathResult.Status.FAILED);
        assertThat(PathResult.of(new EventFormatException("bad header")).status())
                .isEqualTo(PathResult.Status.FAILED);
        assertThat(PathResult.of(StoreUnavailableException.rejected(Store.KAFKA, "breaker open")).status())
                .isEqualTo(PathResult.Status.REJECTED);
    }
}
