package io.suho.client.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.messaging.AmbiguousPublishException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deadlines and the join of re-sent ambiguous events, driven by explicit sweeps (no broker, no clock waits). */
class KafkaSendsTest {
    private final KafkaSends sends = new KafkaSends(Duration.ofMinutes(10), Duration.ofMinutes(10), "test");

    @AfterEach
    void close() {
        sends.close();
    }

    private static RecordMetadata md(long offset) {
        return new RecordMetadata(new TopicPartition("t", 0), offset, 0, 0L, 1, 1);
    }

    private static long later() {
        return System.nanoTime() + Duration.ofMinutes(11).toNanos();
    }

    @Test
    void anAckBeforeTheDeadlineCompletesTheCallerAndIsForgotten() {
        UUID id = UUID.randomUUID();
        KafkaSends.Send s = sends.track("kafka_send", id);
        s.onCompletion(md(7), null);
        sends.sweep(later());
        assertThat(s.join().offset()).isEqualTo(7);
        assertThat(sends.earlier(id)).isNull();
        assertThat(sends.remembered()).isZero();
    }

    @Test
    void aSendUnackedAtItsDeadlineIsAmbiguousAndAReSendJoinsIt() {
        UUID id = UUID.randomUUID();
        KafkaSends.Send first = sends.track("kafka_send", id);
        sends.sweep(System.nanoTime()); // before the deadline: nothing happens
        assertThat(first).isNotDone();
        sends.sweep(later());
        assertThat(first).isCompletedExceptionally();
        // the caller of an event send learns the outcome is unknown, with the id to re-send
        assertThat(causeOf(first)).isInstanceOfSatisfying(AmbiguousPublishException.class, a -> {
            assertThat(a.eventId()).isEqualTo(id);
            assertThat(a.operation()).isEqualTo("kafka_send");
            assertThat(a.timeout()).isEqualTo(Duration.ofMinutes(10));
            assertThat(a.serverReported()).isFalse();
            assertThat(a).hasCauseInstanceOf(KafkaSends.SendTimeout.class)
                    .hasMessageContaining("kafka kafka_send got no answer within 600s (outcome unknown)")
                    .hasMessageContaining(id.toString());
        });
        KafkaSends.Late late = sends.earlier(id);
        assertThat(late).isNotNull();

        KafkaSends.Send resend = (KafkaSends.Send) sends.join("kafka_send", id, late);
        assertThat(resend).isNotDone();
        first.onCompletion(md(42), null); // the producer delivers the first attempt after all
        assertThat(resend.join().offset()).isEqualTo(42);
        // a later re-send still finds the acked first attempt: no second record
        assertThat(sends.earlier(id).result.join().offset()).isEqualTo(42);
    }

    @Test
    void theProducersOwnDeliveryTimeoutOfAnEventIsAmbiguousButAFailureBeforeTheAppendIsNot() {
        UUID id = UUID.randomUUID();
        KafkaSends.Send expired = sends.track("kafka_send", id);
        expired.onCompletion(null, new org.apache.kafka.common.errors.TimeoutException(
                "Expiring 1 record(s) for t-0:120000 ms has passed since batch creation"));
        assertThat(causeOf(expired)).isInstanceOf(AmbiguousPublishException.class);

        KafkaSends.Send noMetadata = sends.track("kafka_send", UUID.randomUUID());
        noMetadata.onCompletion(null, new org.apache.kafka.common.errors.TimeoutException(
                "Topic t not present in metadata after 600 ms."));
        assertThat(causeOf(noMetadata)).isExactlyInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }

    @Test
    void aFirstAttemptTheProducerGaveUpOnIsForgottenSoTheReSendSendsAgain() {
        UUID id = UUID.randomUUID();
        KafkaSends.Send first = sends.track("kafka_send", id);
        sends.sweep(later());
        first.onCompletion(null, new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)"));
        assertThat(sends.earlier(id)).isNull();
        assertThat(sends.remembered()).isZero();
    }

    @Test
    void rawRecordsWithoutAnEventIdGetADeadlineButAreNotRemembered() {
        KafkaSends.Send s = sends.track("kafka_send", null);
        sends.sweep(later());
        assertThat(causeOf(s)).isInstanceOf(KafkaSends.SendTimeout.class);
        assertThat(sends.remembered()).isZero();
    }

    private static Throwable causeOf(KafkaSends.Send s) {
        try {
            s.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
