package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Lettuce's reconnect delay as the cache module builds it from the SDK's {@code Backoff}. */
class ReconnectDelayTest {
    private final Delay delay = CacheRuntime.reconnectDelay(Duration.ofMillis(200));

    @Test
    void doublesFromTenMillisecondsWithTheSdkJitter() {
        for (int i = 0; i < 1000; i++) {
            assertThat(delay.createDelay(1)).isBetween(Duration.ofMillis(5), Duration.ofMillis(15));
            assertThat(delay.createDelay(2)).isBetween(Duration.ofMillis(10), Duration.ofMillis(30));
            assertThat(delay.createDelay(4)).isBetween(Duration.ofMillis(40), Duration.ofMillis(120));
        }
    }

    @Test
    void neverExceedsTheConfiguredMaximumHoweverLongTheOutage() {
        for (long attempt : new long[] {6, 7, 30, 31, 64, 10_000, Long.MAX_VALUE}) {
            for (int i = 0; i < 200; i++) {
                assertThat(delay.createDelay(attempt)).isBetween(Duration.ofNanos(66_666_666),
                        Duration.ofMillis(200));
            }
        }
    }

    @Test
    void isJittered() {
        assertThat(IntStream.range(0, 200).mapToObj(i -> delay.createDelay(20)).distinct().count())
                .isGreaterThan(10);
    }

    @Test
    void theSmallestAcceptedMaximumStillBoundsEveryDelay() {
        Delay tight = CacheRuntime.reconnectDelay(CacheRuntime.MIN_RECONNECT_DELAY);
        for (long attempt = 1; attempt < 40; attempt++) {
            assertThat(tight.createDelay(attempt)).isLessThanOrEqualTo(CacheRuntime.MIN_RECONNECT_DELAY);
        }
    }
}
