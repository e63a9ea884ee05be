package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ResilienceConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallWindowTest {
    private static final ResilienceConfig R = ResilienceConfig.defaults(); // 2 retries, backoff 20..200 ms

    @Test
    void firstAttemptGetsTheBudgetLessTheRetryBackoffs() throws Exception {
        // worst-case backoffs: 20 ms and 40 ms, each +50 % jitter = 90 ms
        long attempt = CallWindow.of(1000, true, R).beforeAttempt();
        assertThat(attempt).isBetween(850L, 910L);
        assertThat(CallWindow.of(1000, false, R).beforeAttempt()).isBetween(950L, 1000L);
    }

    @Test
    void reserveNeverTakesMoreThanAQuarterOfTheBudget() throws Exception {
        ResilienceConfig slow = R.toBuilder().backoff(Duration.ofMillis(200), Duration.ofMillis(400)).build();
        assertThat(CallWindow.of(1000, true, slow).beforeAttempt()).isBetween(700L, 750L);
    }

    @Test
    void aQuickFailureIsRetriedWithTheRestOfTheBudget() throws Exception {
        CallWindow w = CallWindow.of(1000, true, R);
        w.beforeAttempt();
        w.failed(new IOException("connection refused"));
        assertThat(w.beforeAttempt()).isBetween(500L, 910L);
    }

    @Test
    void aSlowFailureIsRepeatedWithoutAnotherAttempt() throws Exception {
        CallWindow w = new CallWindow(TimeUnit.MILLISECONDS.toNanos(40), 0);
        w.beforeAttempt();
        SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
        w.failed(timeout);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(25);
        while (System.nanoTime() < until) {
            Thread.onSpinWait(); // let more than half of the 40 ms budget pass, as a slow attempt would
        }
        assertThatThrownBy(w::beforeAttempt).isSameAs(timeout);
    }
}
