package io.suho.client.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the local Redis under a running client: calls fail fast once the breaker is open, getOrLoad can fall through
 * to its loader, and after the restart the same client reconnects and serves again. Redis is always restarted.
 */
class CacheOutageIT {

    @Test
    void failsFastWhileDownAndReconnectsAfterRestart(@RealStore(StoreKind.REDIS) StoreServer server,
            @TempDir Path tmp) {
        Assumptions.assumeTrue(server.isLocal(), "fault test needs the local stack (server is " + server + ")");
        String key = "outage-" + UUID.randomUUID();
        try (SuhoClients withFallback = CacheTestSupport.clients(server, new SimpleMeterRegistry(), tmp,
                b -> b.set(CacheModule.FALLBACK_TO_LOADER, "true").set(CacheModule.NAMESPACE, "it-outage"));
             SuhoClients strict = CacheTestSupport.clients(server, new SimpleMeterRegistry(), tmp,
                b -> b.set(CacheModule.NAMESPACE, "it-outage"))) {
            CacheClient cache = withFallback.get(CacheClient.class);
            CacheClient strictCache = strict.get(CacheClient.class);
            cache.set(key, "before", Duration.ofMinutes(5));
            assertThat(strictCache.get(key, String.class)).contains("before");

            try {
                LocalStack.down(StoreKind.REDIS);

                // the first failures are real (rejected while disconnected); then the breaker opens
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                        assertThatThrownBy(() -> cache.get(key, String.class))
                                .isInstanceOf(StoreUnavailableException.class)
                                .satisfies(e -> assertThat(((StoreUnavailableException) e).breakerOpen()).isTrue()));
                assertThat(withFallback.breakerStates().get(Store.CACHE)).isIn("OPEN", "HALF_OPEN");
                assertThatThrownBy(() -> cache.set(key, "during", null))
                        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("cache");

                AtomicInteger loads = new AtomicInteger();
                assertThat(cache.getOrLoad(key + "-2", String.class, Duration.ofMinutes(1), () -> {
                    loads.incrementAndGet();
                    return "from-loader";
                })).isEqualTo("from-loader");
                assertThat(loads).hasValue(1);
                assertThatThrownBy(() -> strictCache.getOrLoad(key + "-3", String.class, Duration.ofMinutes(1),
                        () -> "never")).isInstanceOf(StoreUnavailableException.class);
                assertThat(withFallback.health(Store.CACHE).status()).isEqualTo(HealthStatus.DOWN);
            } finally {
                LocalStack.up(StoreKind.REDIS);
            }

            long upAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10)).until(() -> {
                try {
                    cache.set(key + "-after", "after", Duration.ofMinutes(1));
                    return true;
                } catch (StoreUnavailableException e) {
                    return false;
                }
            });
            System.out.printf("cache: first successful write %d ms after infra/local/up returned%n",
                    (System.nanoTime() - upAt) / 1_000_000);
            assertThat(strictCache.get(key + "-after", String.class)).contains("after");
            assertThat(withFallback.health(Store.CACHE).status()).isEqualTo(HealthStatus.UP);
            // the value loaded during the outage was not cached
            assertThat(cache.get(key + "-2", String.class)).isEmpty();
            cache.delete(java.util.List.of(key, key + "-after"));
        }
    }

    @Test
    void hungServerTimesOutThenBreakerOpensAndCallsRecoverAfterResume(@RealStore(StoreKind.REDIS) StoreServer server,
            @TempDir Path tmp) {
        Assumptions.assumeTrue(server.isLocal(), "fault test needs the local stack (server is " + server + ")");
        String key = "hung-" + UUID.randomUUID();
        try (SuhoClients suho = CacheTestSupport.clients(server, new SimpleMeterRegistry(), tmp,
                b -> b.set(CacheModule.NAMESPACE, "it-outage").set("suho.cache.timeout", "300ms"))) {
            CacheClient cache = suho.get(CacheClient.class);
            cache.set(key, 1, Duration.ofMinutes(5));
            try {
                LocalStack.pause(StoreKind.REDIS);
                assertThatThrownBy(() -> cache.set(key, 2, null))
                        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("timed out");
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                        assertThatThrownBy(() -> cache.get(key, Integer.class))
                                .isInstanceOf(StoreUnavailableException.class)
                                .satisfies(e -> assertThat(((StoreUnavailableException) e).breakerOpen()).isTrue()));
            } finally {
                LocalStack.resume(StoreKind.REDIS);
            }
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10)).until(() -> {
                try {
                    return cache.get(key, Integer.class).isPresent();
                } catch (StoreUnavailableException e) {
                    return false;
                }
            });
            cache.delete(key);
        }
    }
}
