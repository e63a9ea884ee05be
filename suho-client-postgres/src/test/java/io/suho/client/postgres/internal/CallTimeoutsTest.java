package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallTimeoutsTest {

    @Test
    void keepsAWholeCallWithinTheDefaultStoreTimeout() {
        CallTimeouts t = CallTimeouts.of(Duration.ofSeconds(1), null);
        assertThat(t.acquire()).isEqualTo(Duration.ofMillis(900));
        assertThat(t.network()).isEqualTo(Duration.ofMillis(900));
        // the server cancels a slow statement before the socket gives up on it
        assertThat(t.statement()).isEqualTo(Duration.ofMillis(800));
        assertThat(t.validation()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void marginIsATenthBetween20And250Millis() {
        assertThat(CallTimeouts.margin(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(20));
        assertThat(CallTimeouts.margin(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(200));
        assertThat(CallTimeouts.margin(Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(250));
        CallTimeouts t = CallTimeouts.of(Duration.ofSeconds(30), null);
        assertThat(t.acquire()).isEqualTo(Duration.ofMillis(29_750));
        assertThat(t.statement()).isEqualTo(Duration.ofMillis(29_500));
    }

    @Test
    void neverGoesBelowHikarisMinimum() {
        CallTimeouts t = CallTimeouts.of(Duration.ofMillis(100), null);
        assertThat(t.acquire()).isEqualTo(Duration.ofMillis(250));
        assertThat(t.validation()).isEqualTo(Duration.ofMillis(250));
        assertThat(t.statement()).isEqualTo(Duration.ofMillis(230));
    }

    @Test
    void aLongerExplicitStatementTimeoutIsNotCutByTheSocket() {
        CallTimeouts t = CallTimeouts.of(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(t.statement()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.network()).isEqualTo(Duration.ofMillis(5_100));
        assertThat(t.acquire()).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void noStatementTimeoutKeepsTheSocketBound() {
        CallTimeouts t = CallTimeouts.of(Duration.ofSeconds(1), Duration.ZERO);
        assertThat(t.statement()).isZero();
        assertThat(t.network()).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void roundsDriverSecondsUp() {
        assertThat(CallTimeouts.ceilSeconds(Duration.ofMillis(900))).isEqualTo(1);
        assertThat(CallTimeouts.ceilSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(CallTimeouts.ceilSeconds(Duration.ZERO)).isEqualTo(1);
    }
}
