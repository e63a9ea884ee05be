package io.suho.client.analytics.internal;

import com.clickhouse.client.api.Client;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.ServerInfo;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A started ClickHouse module: the client, its probe ({@code /ping} then {@code SELECT version()}), close. */
final class AnalyticsRuntime implements StartedStore {
    private final ClickHouseAnalyticsClient analytics;
    private final Client client;
    private final Duration timeout;

    AnalyticsRuntime(ClickHouseAnalyticsClient analytics, Client client, Duration timeout) {
        this.analytics = analytics;
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public <T> T client(Class<T> type) {
        if (type == AnalyticsClient.class) {
            return type.cast(analytics);
        }
        throw new IllegalArgumentException("the analytics module has no client of type " + type.getName());
    }

    @Override
    public ProbeResult probe() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("endpoints", String.join(",", client.getEndpoints()));
        if (!client.ping(timeout.toMillis())) {
            return ProbeResult.down("/ping did not answer within " + ResilienceConfig.format(timeout), detail);
        }
        ServerInfo info;
        try {
            info = analytics.probeServer(timeout);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return ProbeResult.down(e, detail);
        }
        detail.put("version", info.version());
        detail.put("timeZone", info.timeZone().getId());
        detail.put("insertDedupToken", info.supportsInsertDedupToken());
        return ProbeResult.up(detail);
    }

    @Override
    public FailurePolicy failurePolicy() {
        return ClickHouseFailures.POLICY;
    }

    @Override
    public void close() {
        client.close();
    }
}
