package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectDelayTest {
    private final ReconnectDelay delay = new ReconnectDelay(Duration.ofMillis(10), Duration.ofMillis(200));

    @Test
    void doublesFromTheFirstDelayWithinTheUpperHalf() {
        for (int i = 0; i < 1000; i++) {
            assertThat(delay.createDelay(1)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
            assertThat(delay.createDelay(2)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
            assertThat(delay.createDelay(4)).isBetween(Duration.ofMillis(40), Duration.ofMillis(80));
        }
    }

    @Test
    void neverExceedsTheCapHoweverLongTheOutage() {
        for (long attempt : new long[] {6, 7, 30, 31, 64, 10_000, Long.MAX_VALUE}) {
            assertThat(delay.createDelay(attempt)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        }
    }

    @Test
    void isJittered() {
        assertThat(java.util.stream.IntStream.range(0, 200).mapToObj(i -> delay.createDelay(20)).distinct().count())
                .isGreaterThan(10);
    }

    @Test
    void refusesAnEmptyOrInvertedRange() {
        assertThatThrownBy(() -> new ReconnectDelay(Duration.ZERO, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectDelay(Duration.ofMillis(100), Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
