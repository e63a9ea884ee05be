package io.suho.client.analytics.internal;

import com.clickhouse.client.api.Client;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.HostPort;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
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
    public static final String MAX_CONNECTIONS = AnalyticsSettings.MAX_CONNECTIONS.name();
    public static final String CONNECT_TIMEOUT = AnalyticsSettings.CONNECT_TIMEOUT.name();
    public static final String POINT_TIMEOUT = AnalyticsSettings.POINT_TIMEOUT.name();
    public static final String CONNECTION_TTL = AnalyticsSettings.CONNECTION_TTL.name();
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public Store store() {
        return Store.ANALYTICS;
    }

    @Override
    public Set<Class<?>> clientTypes() {
        return Set.of(AnalyticsClient.class);
    }

    /** PEM CA for an {@code https://} ClickHouse whose certificate a private CA signed (client-v2 root certificate). */
    static final ConfigKey<String> TLS_CA_FILE = ConfigKey.string("suho.analytics.tls.ca-file", "PEM file of the CA"
            + " certificate(s) ClickHouse's certificate must chain to, with suho.analytics.tls=true (default: the"
            + " JVM's trust store).", null).withEnvAliases("CLICKHOUSE_TLS_CA_FILE");

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(AnalyticsSettings.keys());
        keys.add(TLS_CA_FILE);
        return List.copyOf(keys);
    }

    @Override
    public void validate(SuhoConfig config) {
        AnalyticsSettings.validate(config, ResilienceConfig.fromConfig(config, Store.ANALYTICS, defaultResilience())
                .timeout());
        caFile(config);
    }

    /** The configured CA file, checked readable; {@code null} when unset. */
    static String caFile(SuhoConfig config) {
        String ca = config.optional(TLS_CA_FILE).map(String::trim).orElse(null);
        if (ca != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(ca))) {
            throw new io.suho.client.core.ConfigurationException(TLS_CA_FILE.name(), TLS_CA_FILE.name() + " = " + ca
                    + " is not a readable file; fix: point it at the PEM file of ClickHouse's CA");
        }
        return ca;
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
        ResilienceConfig resilience = ctx.resilience();
        AnalyticsSettings settings = AnalyticsSettings.read(ctx.config(), resilience.timeout());
        Client client = newClient(settings, resilience, caFile(ctx.config()));
        ClickHouseAnalyticsClient analytics = new ClickHouseAnalyticsClient(client, ctx.executor(), resilience,
                settings.pointTimeout(), ctx.meterRegistry(), ctx.serviceName());
        analytics.detect();
        return new AnalyticsRuntime(analytics, client, resilience.timeout());
    }

    /** Builds the client-v2 instance with the settings that work on 18.16 and current servers alike. */
    static Client newClient(AnalyticsSettings settings, ResilienceConfig resilience) {
        return newClient(settings, resilience, null);
    }

    /** {@link #newClient(AnalyticsSettings, ResilienceConfig)} trusting {@code caFile} (PEM) when not null. */
    static Client newClient(AnalyticsSettings settings, ResilienceConfig resilience, String caFile) {
        Client.Builder b = new Client.Builder();
        if (caFile != null && settings.tls()) {
            b.setRootCertificate(caFile);
        }
        for (HostPort h : settings.hosts()) {
            b.addEndpoint((settings.tls() ? "https://" : "http://") + h);
        }
        return b.setUsername(settings.user())
                .setPassword(settings.passwordText())
                .setDefaultDatabase(settings.database())
                // 18.16 ignores the X-ClickHouse-Database header the client sends; the URL parameter works everywhere
                .serverSetting("database", settings.database())
                // 18.16 answers compressed SELECTs with an empty body: never ask for compression
                .compressServerResponse(false)
                .compressClientRequest(false)
                .useHttpCompression(false)
                .setMaxRetries(0) // the SDK's pipeline decides about retries
                .setMaxConnections(settings.maxConnections())
                // ClickHouse keeps serving busy keep-alive connections while it shuts down (18.16 never finished a
                // graceful stop under load); recycling them lets it drain and callers then fail fast on a refused connect
                .setConnectionTTL(settings.connectionTtl().toMillis(), ChronoUnit.MILLIS)
                .setConnectTimeout(settings.connectTimeout().toMillis(), ChronoUnit.MILLIS)
                .setConnectionRequestTimeout(resilience.timeout().toMillis(), ChronoUnit.MILLIS)
                .setSocketTimeout(resilience.timeout().toMillis(), ChronoUnit.MILLIS)
                .setClientName("suho-sdk")
                .build();
    }
}
