package io.suho.client.cache;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.test.StoreServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds SDK and raw-driver connections to a resolved test server. */
final class CacheTestSupport {
    private CacheTestSupport() {
    }

    static SuhoClients clients(StoreServer server, SimpleMeterRegistry registry, Path tmp,
            Consumer<SuhoClients.Builder> extra) {
        SuhoClients.Builder b = server.configure(SuhoClients.builder().serviceName("cache-it"))
                .environment(Map.of())
                .meterRegistry(registry)
                .endpointCacheFile(tmp.resolve("endpoints.json"))
                .resilience(Store.CACHE, ResilienceConfig.builder().timeout(Duration.ofSeconds(2)).build());
        extra.accept(b);
        return b.build();
    }

    /** A raw Lettuce connection for assertions the SDK does not expose (PTTL, SCRIPT FLUSH, raw writes). */
    static StatefulRedisConnection<String, String> raw(RedisClient client, StoreServer server) {
        RedisURI.Builder uri = RedisURI.Builder.redis(server.host(), server.port());
        if (server.password() != null) {
            if (server.user() != null) {
                uri.withAuthentication(server.user(), server.password());
            } else {
                uri.withPassword(server.password().toCharArray());
            }
        }
        return client.connect(uri.build());
    }

    /**
     * Deletes what a suite left under its namespace (through its raw connection), then closes the raw connection and
     * client and the SDK; each argument may be null when {@code @BeforeAll} failed part way.
     */
    static void cleanUp(String namespace, RedisClient rawClient, StatefulRedisConnection<String, String> rawConnection,
            SuhoClients suho) {
        if (rawConnection != null) {
            List<String> left = rawConnection.sync().keys(namespace + ":*");
            if (!left.isEmpty()) {
                rawConnection.sync().del(left.toArray(String[]::new));
            }
            rawConnection.close();
            rawClient.shutdown();
        }
        if (suho != null) {
            suho.close();
        }
    }
}
