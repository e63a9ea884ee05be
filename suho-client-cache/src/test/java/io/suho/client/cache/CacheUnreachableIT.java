package io.suho.client.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache client pointed at a port where nothing listens (127.0.0.1:1, refused at once by the local kernel): each call
 * is "not sent", real failures open the breaker, and then even a native call is rejected without being run. Needs no
 * server.
 */
class CacheUnreachableIT {

    @Test
    void refusedIsUnavailableThenTheBreakerOpensAndExecuteIsRejectedWithoutRunningTheCall(@TempDir Path tmp) {
        StoreServer refused = new StoreServer(StoreKind.REDIS, "127.0.0.1", 1, null, null, null, "refused port");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ResilienceConfig twoFailuresOpen = ResilienceConfig.builder().timeout(Duration.ofSeconds(1)).maxRetries(0)
                .breakerFailureThreshold(2).breakerWindow(2).breakerDelay(Duration.ofMinutes(1)).build();
        try (SuhoClients suho = CacheTestSupport.clients(refused, registry, tmp,
                b -> b.resilience(Store.CACHE, twoFailuresOpen))) {
            CacheClient cache = suho.get(CacheClient.class);
            AtomicInteger ran = new AtomicInteger();

            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> cache.execute("incr", false, redis -> {
                    ran.incrementAndGet();
                    return redis.incr("orders:seq");
                })).isInstanceOf(StoreUnavailableException.class)
                        .hasMessageStartingWith("cache is unavailable: incr was not sent: ")
                        .hasMessageContaining("refused")
                        .satisfies(e -> assertThat(((StoreUnavailableException) e).breakerOpen()).isFalse());
            }
            assertThat(suho.breakerStates().get(Store.CACHE)).isEqualTo("OPEN");

            assertThatThrownBy(() -> cache.execute("incr", false, redis -> {
                ran.incrementAndGet();
                return redis.incr("orders:seq");
            })).isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).breakerOpen()).isTrue());
            assertThat(ran).as("no native call ran: the connection was never had").hasValue(0);
            assertThatThrownBy(() -> cache.get("k", String.class)).isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).breakerOpen()).isTrue());

            assertThat(timer(registry, "error").count()).isEqualTo(2);
            assertThat(timer(registry, "rejected").count()).isEqualTo(1);

            StoreHealth h = suho.health(Store.CACHE);
            assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(h.error()).contains("refused");
            assertThat(h.detail()).containsEntry("connected", false).containsEntry("breaker", "OPEN");
        }
    }

    private static Timer timer(SimpleMeterRegistry registry, String outcome) {
        return registry.find("suho.client.requests").tags("store", "cache", "operation", "incr", "outcome", outcome)
                .timer();
    }
}
