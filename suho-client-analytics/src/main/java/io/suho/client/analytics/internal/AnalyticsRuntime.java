package io.suho.client.analytics.internal;

import com.clickhouse.client.api.Client;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.ServerInfo;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.spi.StoreRuntime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A started ClickHouse module: the client, its health check ({@code /ping} then {@code SELECT version()}), close. */
final class AnalyticsRuntime implements StoreRuntime {
    private final ClickHouseAnalyticsClient analytics;
    private final Client client;
    private final ResilienceConfig resilience;

    AnalyticsRuntime(ClickHouseAnalyticsClient analytics, Client client, ResilienceConfig resilience) {
        this.analytics = analytics;
        this.client = client;
        this.resilience = resilience;
    }

    @Override
    public <T> T client(Class<T> type) {
        if (type == AnalyticsClient.class) {
            return type.cast(analytics);
        }
        throw new IllegalArgumentException("the analytics module has no client of type " + type.getName());
    }

    @Override
    public StoreHealth health() {
        long start = System.nanoTime();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("endpoints", String.join(",", client.getEndpoints()));
        try {
            boolean pong = client.ping(resilience.timeout().toMillis());
            if (!pong) {
                return StoreHealth.down(Store.ANALYTICS, elapsed(start), "/ping did not answer within "
                        + resilience.timeout().toMillis() + " ms", detail);
            }
            ServerInfo info = analytics.detect();
            if (!info.known()) {
                return StoreHealth.down(Store.ANALYTICS, elapsed(start), "/ping answered but SELECT version() failed",
                        detail);
            }
            detail.put("version", info.version());
            detail.put("timeZone", info.timeZone().getId());
            detail.put("insertDedupToken", info.supportsInsertDedupToken());
            return StoreHealth.up(Store.ANALYTICS, elapsed(start), detail);
        } catch (RuntimeException e) {
            return StoreHealth.down(Store.ANALYTICS, elapsed(start), ClickHouseFailures.firstLine(e), detail);
        }
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        client.close();
    }
}
