package io.suho.client.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.DuplicateKeyException;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.core.spi.FailurePolicy;
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

class CallPipelineTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** A server-side cancel, as a PostgreSQL 57014 would be classified. */
    static final class ServerCancelled extends Exception {
        ServerCancelled() {
            super("canceling statement due to statement timeout");
        }
    }

    /** A unique-key violation as a driver would throw it. */
    static final class Duplicate extends Exception {
        Duplicate() {
            super("duplicate key value violates unique constraint");
        }
    }

    /** The store-specific rules of a test store; everything else is the JDK's generic view. */
    private static final FailurePolicy POLICY = new FailurePolicy() {
        @Override
        public Failure classify(Throwable t) {
            if (t instanceof ServerCancelled) {
                return Failure.of(FailureKind.SERVER_TIMEOUT, "57014", t);
            }
            if (t instanceof Duplicate) {
                return Failure.of(FailureKind.DUPLICATE_KEY, "23505", t);
            }
            if (t instanceof IllegalStateException && "WRONGTYPE".equals(t.getMessage())) {
                return Failure.of(FailureKind.OPERATION_ERROR, "WRONGTYPE", t);
            }
            return FailurePolicy.generic(t);
        }
    };

    private CallPipeline executor(ResilienceConfig config) {
        CallPipeline p = new CallPipeline(Store.CACHE, "svc", registry, config, scheduler);
        p.policy(POLICY);
        return p;
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
        CallPipeline ex = executor(fast().build());
        assertThat(ex.call("get", true, () -> "v")).isEqualTo("v");
        assertThat(count("get", "success")).isEqualTo(1);
    }

    @Test
    void opensBreakerAfterConsecutiveFailuresAndRejectsWithoutCalling() {
        CallPipeline ex = executor(fast().breakerDelay(Duration.ofSeconds(30)).build());
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
        CallPipeline ex = executor(fast().maxRetries(3).build());
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> ex.call("get", true, () -> {
                calls.incrementAndGet();
                throw new IllegalStateException("WRONGTYPE");
            })).isInstanceOf(StoreOperationException.class)
                    .hasMessage("cache get failed [WRONGTYPE]: WRONGTYPE");
        }
        assertThat(calls.get()).isEqualTo(10);
        assertThat(ex.breakerState()).isEqualTo("CLOSED");
    }

    @Test
    void retriesIdempotentCallsOnly() {
        CallPipeline ex = executor(fast().maxRetries(2).breakerFailureThreshold(10).breakerWindow(10).build());
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
        CallPipeline ex = executor(fast().build());
        assertThatThrownBy(() -> ex.call("get", false, () -> {
            throw new SocketTimeoutException("read timed out");
        })).isInstanceOf(StoreTimeoutException.class).isNotInstanceOf(StoreUnavailableException.class)
                .hasMessage("cache get got no answer within 1s (outcome unknown): read timed out")
                .satisfies(e -> {
                    StoreTimeoutException te = (StoreTimeoutException) e;
                    assertThat(te.store()).isEqualTo(Store.CACHE);
                    assertThat(te.operation()).isEqualTo("get");
                    assertThat(te.timeout()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(te.serverReported()).isFalse();
                });
        assertThat(count("get", "timeout")).isEqualTo(1);
    }

    @Test
    void halfOpensAfterDelayAndClosesOnSuccess() throws Exception {
        CallPipeline ex = executor(fast().breakerDelay(Duration.ofMillis(50)).build());
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
        CallPipeline ex = executor(fast().build());
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
        CallPipeline ex = executor(fast().breakerDelay(Duration.ofSeconds(30)).build());
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
        CallPipeline first = executor(fast().build());
        first.call("get", false, () -> 1);
        first.close();
        assertThat(registry.find("suho.client.breaker.state").gauges()).isEmpty();
        assertThat(registry.find("suho.client.requests").timers()).isEmpty();
        CallPipeline second = executor(fast().build());
        assertThat(registry.find("suho.client.breaker.state").gauge().value()).isEqualTo(0.0);
        second.close();
    }

    @Test
    void drainCountsReportsCallsAndStoreFailuresSinceLastDrain() {
        CallPipeline ex = executor(fast().breakerFailureThreshold(10).breakerWindow(10).build());
        ex.call("get", false, () -> 1);
        assertThatThrownBy(() -> ex.call("get", false, () -> {
            throw new Duplicate();
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

    @Test
    void serverReportedTimeoutsNeverOpenTheBreakerAndAreNotRetried() {
        CallPipeline ex = executor(fast().maxRetries(2).breakerDelay(Duration.ofSeconds(30)).build());
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> ex.call("report", true, () -> {
                calls.incrementAndGet();
                throw new ServerCancelled();
            })).isInstanceOf(StoreTimeoutException.class)
                    .satisfies(e -> assertThat(((StoreTimeoutException) e).serverReported()).isTrue())
                    .hasMessageContaining("[57014]");
        }
        assertThat(calls.get()).isEqualTo(20);
        assertThat(ex.breakerState()).isEqualTo("CLOSED");
        assertThat(ex.call("report", true, () -> "ok")).isEqualTo("ok");
        assertThat(count("report", "timeout")).isEqualTo(20);
    }

    @Test
    void refusedConnectionsAreUnavailableWithTheNotSentWording() {
        CallPipeline ex = executor(fast().build());
        assertThatThrownBy(() -> ex.call("set", false, () -> {
            throw new IOException("connect failed", new ConnectException("Connection refused"));
        })).isInstanceOf(StoreUnavailableException.class)
                .hasMessage("cache is unavailable: set was not sent: connect failed (caused by ConnectException:"
                        + " Connection refused)")
                .satisfies(e -> assertThat(((StoreUnavailableException) e).breakerOpen()).isFalse());
    }

    @Test
    void duplicateKeysAreTheirOwnTypeAndDoNotCount() {
        CallPipeline ex = executor(fast().build());
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> ex.call("insert", false, () -> {
                throw new Duplicate();
            })).isInstanceOf(DuplicateKeyException.class)
                    .satisfies(e -> assertThat(((DuplicateKeyException) e).errorCode()).isEqualTo("23505"));
        }
        assertThat(ex.breakerState()).isEqualTo("CLOSED");
        assertThat(count("insert", "error")).isEqualTo(5);
    }

    @Test
    void callerCodeExceptionsPassThroughUnchanged() {
        CallPipeline ex = executor(fast().build());
        IllegalArgumentException mine = new IllegalArgumentException("bad row");
        assertThatThrownBy(() -> ex.call("query", true, () -> {
            throw mine;
        })).isSameAs(mine);
        assertThat(ex.breakerState()).isEqualTo("CLOSED");
    }

    @Test
    void successesAfterAFailureAreRecordedUntilTheWindowIsCleanAgain() {
        CallPipeline ex = executor(fast().breakerDelay(Duration.ofSeconds(30)).build()); // opens at 3 of 3
        Executable down = () -> ex.call("get", false, () -> {
            throw new ConnectException("down");
        });
        assertThatThrownBy(down::run);
        for (int i = 0; i < 3; i++) {
            ex.call("get", false, () -> "ok"); // pushes the failure out of the window
        }
        for (int i = 0; i < 10; i++) {
            ex.call("get", false, () -> "ok"); // clean window: not recorded, nothing changes
        }
        assertThatThrownBy(down::run);
        assertThatThrownBy(down::run);
        assertThat(ex.breakerState()).isEqualTo("CLOSED"); // window [ok, fail, fail]
        assertThatThrownBy(down::run);
        assertThat(ex.breakerState()).isEqualTo("OPEN");
    }

    @Test
    void aRetryTurnedAwayByTheBreakerReportsTheAttemptThatReachedTheStore() {
        CallPipeline ex = executor(fast().maxRetries(2).breakerFailureThreshold(1).breakerWindow(1)
                .breakerDelay(Duration.ofSeconds(30)).build());
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> ex.call("get", true, () -> {
            calls.incrementAndGet();
            throw new SocketTimeoutException("read timed out");
        })).isInstanceOf(StoreTimeoutException.class);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(ex.breakerOpen()).isTrue();
    }

    @Test
    void aBudgetedCallRetriesQuickFailuresButNotASlowOne() {
        CallPipeline ex = executor(fast().maxRetries(3).breakerFailureThreshold(10).breakerWindow(10).build());
        AtomicInteger quick = new AtomicInteger();
        String v = ex.call("point", true, Duration.ofSeconds(2), attemptTimeout -> {
            assertThat(attemptTimeout).isLessThanOrEqualTo(Duration.ofSeconds(2)).isPositive();
            if (quick.incrementAndGet() < 3) {
                throw new ConnectException("refused");
            }
            return "ok";
        });
        assertThat(v).isEqualTo("ok");
        assertThat(quick.get()).isEqualTo(3);

        AtomicInteger slow = new AtomicInteger();
        assertThatThrownBy(() -> ex.call("point", true, Duration.ofMillis(100), attemptTimeout -> {
            slow.incrementAndGet();
            Thread.sleep(attemptTimeout.toMillis()); // a hung server: the whole attempt budget is spent
            throw new SocketTimeoutException("read timed out");
        })).isInstanceOf(StoreTimeoutException.class)
                .satisfies(e -> assertThat(((StoreTimeoutException) e).timeout()).isEqualTo(Duration.ofMillis(100)));
        assertThat(slow.get()).isEqualTo(1);
    }

    @Test
    void failuresMetOutsideACallAreMappedWithoutRecording() {
        CallPipeline ex = executor(fast().build());
        RuntimeException mapped = ex.failure("commit", new SocketTimeoutException("read timed out"));
        assertThat(mapped).isInstanceOf(StoreTimeoutException.class).hasMessageContaining("commit");
        assertThat(count("commit", "timeout")).isZero();
        assertThat(ex.breakerState()).isEqualTo("CLOSED");
    }

    /** A call that only throws. */
    @FunctionalInterface
    interface Executable {
        void run() throws Throwable;
    }
}
