package io.suho.client.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
        KafkaSends.Send s = sends.track(id);
        s.onCompletion(md(7), null);
        sends.sweep(later());
        assertThat(s.join().offset()).isEqualTo(7);
        assertThat(sends.earlier(id)).isNull();
        assertThat(sends.remembered()).isZero();
    }

    @Test
    void aSendUnackedAtItsDeadlineIsAmbiguousAndAReSendJoinsIt() {
        UUID id = UUID.randomUUID();
        KafkaSends.Send first = sends.track(id);
        sends.sweep(System.nanoTime()); // before the deadline: nothing happens
        assertThat(first).isNotDone();
        sends.sweep(later());
        assertThat(first).isCompletedExceptionally();
        assertThat(causeOf(first)).isInstanceOf(KafkaSends.SendTimeout.class);
        KafkaSends.Late late = sends.earlier(id);
        assertThat(late).isNotNull();

        KafkaSends.Send resend = (KafkaSends.Send) sends.join(id, late);
        assertThat(resend).isNotDone();
        first.onCompletion(md(42), null); // the producer delivers the first attempt after all
        assertThat(resend.join().offset()).isEqualTo(42);
        // a later re-send still finds the acked first attempt: no second record
        assertThat(sends.earlier(id).result.join().offset()).isEqualTo(42);
    }

    @Test
    void aFirstAttemptTheProducerGaveUpOnIsForgottenSoTheReSendSendsAgain() {
        UUID id = UUID.randomUUID();
        KafkaSends.Send first = sends.track(id);
        sends.sweep(later());
        first.onCompletion(null, new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)"));
        assertThat(sends.earlier(id)).isNull();
        assertThat(sends.remembered()).isZero();
    }

    @Test
    void rawRecordsWithoutAnEventIdGetADeadlineButAreNotRemembered() {
        KafkaSends.Send s = sends.track(null);
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
