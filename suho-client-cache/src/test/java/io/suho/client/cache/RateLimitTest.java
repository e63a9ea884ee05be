package io.suho.client.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void retryAfterSecondsRoundsUpForTheRetryAfterHeader() {
        assertThat(new RateLimit(false, 0, Duration.ofMillis(29_800)).retryAfterSeconds()).isEqualTo(30);
        assertThat(new RateLimit(false, 0, Duration.ofSeconds(30)).retryAfterSeconds()).isEqualTo(30);
        assertThat(new RateLimit(false, 0, Duration.ofMillis(30_001)).retryAfterSeconds()).isEqualTo(31);
    }

    @Test
    void aRefusalNeverSaysRetryNow() {
        assertThat(new RateLimit(false, 0, Duration.ofMillis(3)).retryAfterSeconds()).isEqualTo(1);
        assertThat(new RateLimit(false, 0, Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void anAllowedCallHasNothingToWaitFor() {
        assertThat(new RateLimit(true, 99, Duration.ZERO).retryAfterSeconds()).isZero();
    }
}
