package io.suho.client.analytics.internal;

import com.clickhouse.client.api.Client;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * The ClickHouse store module: registered through {@code META-INF/services}, serves {@link AnalyticsClient}. Keeps no
 * state; everything it opens belongs to the {@link AnalyticsRuntime} that {@link #start} returns.
 */
public final class AnalyticsModule implements StoreModule {
    public static final String MAX_CONNECTIONS = "suho.analytics.pool.max-connections";
    public static final String CONNECT_TIMEOUT = "suho.analytics.connect-timeout";
    public static final String POINT_TIMEOUT = "suho.analytics.point-timeout";
    public static final String CONNECTION_TTL = "suho.analytics.pool.connection-ttl";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Whole-call budget of point operations: a hung server is given up on well within the drill's 1 s. */
    static final Duration DEFAULT_POINT_TIMEOUT = Duration.ofMillis(600);

    @Override
    public Store store() {
        return Store.ANALYTICS;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(AnalyticsClient.class);
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.of(MAX_CONNECTIONS, "Largest number of pooled HTTP connections to ClickHouse.", "10"),
                ConfigKey.of(CONNECT_TIMEOUT, "TCP connect timeout (the store timeout when shorter).", "1s"),
                ConfigKey.of(POINT_TIMEOUT, "Whole-call timeout of point operations (QueryOptions.point(), "
                        + "InsertOptions.point()), retries included; capped at suho.analytics.timeout.", "600ms"),
                ConfigKey.of(CONNECTION_TTL, "Longest a pooled HTTP connection is reused, so a gracefully stopping "
                        + "server can drain its connections.", "5s"));
    }

    /**
     * Store timeout 10 s: analytics queries scan, and 1 s would cut off ordinary aggregations. Point operations
     * ({@code QueryOptions.point()}, {@code InsertOptions.point()}) use {@link #POINT_TIMEOUT} instead.
     */
    @Override
    public ResilienceConfig defaultResilience() {
        return ResilienceConfig.defaults().toBuilder().timeout(DEFAULT_TIMEOUT).build();
    }

    @Override
    public StartedStore start(StoreContext ctx) {
        SuhoConfig config = ctx.config();
        ResilienceConfig resilience = ctx.resilience();
        Duration point = config.duration(POINT_TIMEOUT, DEFAULT_POINT_TIMEOUT);
        if (point.isNegative() || point.isZero()) {
            throw config.invalid(config.find(POINT_TIMEOUT).orElseThrow(), "expected a positive duration such as 1s");
        }
        Client client = newClient(config, resilience);
        ClickHouseAnalyticsClient analytics = new ClickHouseAnalyticsClient(client, ctx.executor(), resilience, point,
                ctx.meterRegistry(), ctx.serviceName());
        analytics.detect();
        return new AnalyticsRuntime(analytics, client, resilience.timeout());
    }

    /** Builds the client-v2 instance with the settings that work on 18.16 and current servers alike. */
    public static Client newClient(SuhoConfig config, ResilienceConfig resilience) {
        List<HostPort> hosts = config.hosts(Store.ANALYTICS);
        boolean tls = config.bool(StoreKeys.tls(Store.ANALYTICS), false);
        String database = config.get(StoreKeys.database(Store.ANALYTICS), "suho_analytics");
        String user = config.get(StoreKeys.user(Store.ANALYTICS), "default");
        String password = config.secret(StoreKeys.password(Store.ANALYTICS)).map(Secret::reveal).orElse("");
        int maxConnections = config.intValue(MAX_CONNECTIONS, 10, 1, 1000);
        Duration connect = config.duration(CONNECT_TIMEOUT, Duration.ofSeconds(1));
        Duration ttl = config.duration(CONNECTION_TTL, Duration.ofSeconds(5));
        if (ttl.isNegative() || ttl.isZero()) {
            throw config.invalid(config.find(CONNECTION_TTL).orElseThrow(), "expected a positive duration such as 5s");
        }
        if (connect.compareTo(resilience.timeout()) > 0) {
            connect = resilience.timeout();
        }
        Client.Builder b = new Client.Builder();
        for (HostPort h : hosts) {
            b.addEndpoint((tls ? "https://" : "http://") + h);
        }
        return b.setUsername(user)
                .setPassword(password)
                .setDefaultDatabase(database)
                // 18.16 ignores the X-ClickHouse-Database header the client sends; the URL parameter works everywhere
                .serverSetting("database", database)
                // 18.16 answers compressed SELECTs with an empty body: never ask for compression
                .compressServerResponse(false)
                .compressClientRequest(false)
                .useHttpCompression(false)
                .setMaxRetries(0) // the SDK's pipeline decides about retries
                .setMaxConnections(maxConnections)
                // ClickHouse keeps serving busy keep-alive connections while it shuts down (18.16 never finished a
                // graceful stop under load); recycling them lets it drain and callers then fail fast on a refused connect
                .setConnectionTTL(ttl.toMillis(), ChronoUnit.MILLIS)
                .setConnectTimeout(connect.toMillis(), ChronoUnit.MILLIS)
                .setConnectionRequestTimeout(resilience.timeout().toMillis(), ChronoUnit.MILLIS)
                .setSocketTimeout(resilience.timeout().toMillis(), ChronoUnit.MILLIS)
                .setClientName("suho-sdk")
                .build();
    }
}
