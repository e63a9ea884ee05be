package io.suho.client.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = Backoff.of(Duration.ofMillis(20), Duration.ofMillis(200));

    @Test
    void doublesFromMinUpToMax() {
        assertThat(backoff.baseNanos(1)).isEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(backoff.baseNanos(2)).isEqualTo(Duration.ofMillis(40).toNanos());
        assertThat(backoff.baseNanos(4)).isEqualTo(Duration.ofMillis(160).toNanos());
        assertThat(backoff.baseNanos(5)).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(backoff.baseNanos(200)).isEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void jitterStaysWithinHalfTheBaseEitherWay() {
        for (int i = 0; i < 1000; i++) {
            long d = backoff.delayNanos(2);
            assertThat(d).isBetween(Duration.ofMillis(20).toNanos(), Duration.ofMillis(60).toNanos());
        }
    }

    @Test
    void worstCaseAddsEveryDelayAtPlusFiftyPercent() {
        assertThat(backoff.worstCaseNanos(2)).isEqualTo(Duration.ofMillis(30 + 60).toNanos());
        assertThat(backoff.worstCaseNanos(0)).isZero();
    }

    @Test
    void rejectsAnInvertedRange() {
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min <= max");
    }
}
