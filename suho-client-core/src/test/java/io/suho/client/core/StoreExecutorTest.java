package io.suho.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreExecutorTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Connect errors are outages, socket timeouts are timeouts, anything else is the caller's fault. */
    private static StoreExecutor.FailureKind classify(Throwable t) {
        if (t instanceof ConnectException) {
            return StoreExecutor.FailureKind.UNAVAILABLE;
        }
        if (t instanceof SocketTimeoutException) {
            return StoreExecutor.FailureKind.TIMEOUT;
        }
        return StoreExecutor.FailureKind.CALLER_ERROR;
    }

    private StoreExecutor executor(ResilienceConfig config) {
        return new StoreExecutor(Store.CACHE, "svc", registry, config, StoreExecutorTest::classify, null, scheduler);
    }

    private static ResilienceConfig.Builder fast() {
        return ResilienceConfig.builder().maxRetries(0).breakerFailureThreshold(3).breakerWindow(3)
                .breakerDelay(Duration.ofMillis(100)).backoff(Duration.ofMillis(1), Duration.ofMillis(2));
    }

    private long count(String operation, String outcome) {
        var t = registry.find("suho.client.requests").tags("service", "svc", "store", "cache", "operation", operation,
                "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void recordsSuccessUnderServiceStoreOperationOutcome() {
        StoreExecutor ex = executor(fast().build());
        assertThat(ex.call("get", true, () -> "v")).isEqualTo("v");
        assertThat(count("get", "success")).isEqualTo(1);
    }

    @Test
    void opensBreakerAfterConsecutiveFailuresAndRejectsWithoutCalling() {
        StoreExecutor ex = executor(fast().breakerDelay(Duration.ofSeconds(30)).build());
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> ex.call("set", false, () -> {
                calls.incrementAndGet();
                throw new ConnectException("refused");
            })).isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(ex.breakerState()).isEqualTo("OPEN");
        assertThat(ex.breakerStateCode()).isEqualTo(2);
        assertThatThrownBy(() -> ex.call("set", false, () -> calls.incrementAndGet()))
                .isInstanceOf(StoreUnavailableException.class)
                .satisfies(e -> {
                    StoreUnavailableException u = (StoreUnavailableException) e;
                    assertThat(u.breakerOpen()).isTrue();
                    assertThat(u.store()).isEqualTo(Store.CACHE);
                    assertThat(u.getMessage()).startsWith("cache is unavailable");
                });
        assertThat(calls.get()).isEqualTo(3);
        assertThat(count("set", "rejected")).isEqualTo(1);
        assertThat(count("set", "error")).isEqualTo(3);
        assertThat(registry.find("suho.client.breaker.state").tags("store", "cache").gauge().value()).isEqualTo(2.0);
    }

    @Test
    void callerErrorsNeverOpenTheBreakerAndAreNotRetried() {
        StoreExecutor ex = executor(fast().maxRetries(3).build());
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> ex.call("get", true, () -> {
                calls.incrementAndGet();
                throw new IllegalStateException("WRONGTYPE");
            })).isInstanceOf(StoreOperationException.class).hasMessageContaining("WRONGTYPE");
        }
        assertThat(calls.get()).isEqualTo(10);
        assertThat(ex.breakerState()).isEqualTo("CLOSED");
    }

    @Test
    void retriesIdempotentCallsOnly() {
        StoreExecutor ex = executor(fast().maxRetries(2).breakerFailureThreshold(10).breakerWindow(10).build());
        AtomicInteger reads = new AtomicInteger();
        String v = ex.call("get", true, () -> {
            if (reads.incrementAndGet() < 3) {
                throw new ConnectException("blip");
            }
            return "ok";
        });
        assertThat(v).isEqualTo("ok");
        assertThat(reads.get()).isEqualTo(3);

        AtomicInteger writes = new AtomicInteger();
        assertThatThrownBy(() -> ex.call("set", false, () -> {
            writes.incrementAndGet();
            throw new ConnectException("blip");
        })).isInstanceOf(StoreUnavailableException.class);
        assertThat(writes.get()).isEqualTo(1);
    }

    @Test
    void timeoutsAreRecordedAsTimeoutOutcome() {
        StoreExecutor ex = executor(fast().build());
        assertThatThrownBy(() -> ex.call("get", false, () -> {
            throw new SocketTimeoutException("read timed out");
        })).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("outcome unknown");
        assertThat(count("get", "timeout")).isEqualTo(1);
    }

    @Test
    void halfOpensAfterDelayAndClosesOnSuccess() throws Exception {
        StoreExecutor ex = executor(fast().breakerDelay(Duration.ofMillis(50)).build());
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> ex.call("get", false, () -> {
                throw new ConnectException("down");
            }));
        }
        assertThat(ex.breakerOpen()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String result = null;
        while (result == null && System.nanoTime() < deadline) {
            try {
                result = ex.call("get", false, () -> "back");
            } catch (StoreUnavailableException stillOpen) {
                Thread.onSpinWait();
            }
        }
        assertThat(result).isEqualTo("back");
        assertThat(ex.breakerState()).isEqualTo("CLOSED");
    }

    @Test
    void asyncCallsCompleteWithResultOrTranslatedException() throws Exception {
        StoreExecutor ex = executor(fast().build());
        assertThat(ex.callAsync("get", true, () -> CompletableFuture.completedFuture(42)).toCompletableFuture().get())
                .isEqualTo(42);
        CompletableFuture<Object> failed = ex.<Object>callAsync("get", false,
                () -> CompletableFuture.failedFuture(new ConnectException("no"))).toCompletableFuture();
        assertThatThrownBy(failed::get).hasCauseInstanceOf(StoreUnavailableException.class);
        assertThat(count("get", "success")).isEqualTo(1);
        assertThat(count("get", "error")).isEqualTo(1);
    }

    @Test
    void asyncCallsOpenTheBreakerAndAreRejectedWithoutStarting() throws Exception {
        StoreExecutor ex = executor(fast().breakerDelay(Duration.ofSeconds(30)).build());
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            ex.<Object>callAsync("send", false, () -> {
                started.incrementAndGet();
                return CompletableFuture.failedFuture(new ConnectException("down"));
            });
        }
        assertThat(ex.breakerOpen()).isTrue();
        CompletableFuture<Object> rejected = ex.<Object>callAsync("send", false, () -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        }).toCompletableFuture();
        assertThatThrownBy(rejected::get).hasCauseInstanceOf(StoreUnavailableException.class);
        assertThat(started.get()).isEqualTo(3);
        assertThat(count("send", "rejected")).isEqualTo(1);
    }

    @Test
    void closeRemovesTheExecutorsMetersSoANewInstanceCanRegister() {
        StoreExecutor first = executor(fast().build());
        first.call("get", false, () -> 1);
        first.close();
        assertThat(registry.find("suho.client.breaker.state").gauges()).isEmpty();
        assertThat(registry.find("suho.client.requests").timers()).isEmpty();
        StoreExecutor second = executor(fast().build());
        assertThat(registry.find("suho.client.breaker.state").gauge().value()).isEqualTo(0.0);
        second.close();
    }

    @Test
    void drainCountsReportsCallsAndStoreFailuresSinceLastDrain() {
        StoreExecutor ex = executor(fast().breakerFailureThreshold(10).breakerWindow(10).build());
        ex.call("get", false, () -> 1);
        assertThatThrownBy(() -> ex.call("get", false, () -> {
            throw new IOException("x");
        }));
        assertThatThrownBy(() -> ex.call("get", false, () -> {
            throw new ConnectException("x");
        }));
        assertThat(ex.drainCounts()).containsExactly(3, 1);
        assertThat(ex.drainCounts()).containsExactly(0, 0);
    }

    @Test
    void resilienceConfigValidationNamesTheKey() {
        assertThatThrownBy(() -> ResilienceConfig.builder().breakerFailureThreshold(5).breakerWindow(2).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("breaker.window");
        assertThatThrownBy(() -> ResilienceConfig.builder().timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout");
    }
}
