package io.suho.client.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.SideServer;
import io.suho.test.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache client over real TLS: a TLS-only redis-server of this test's own on port 16380 (the port this suite
 * claims; the shared stack's Redis is not touched), with a certificate from a throw-away CA and a password. With
 * {@code suho.cache.tls.ca-file} the SDK verifies the certificate and host name, authenticates and works; without the
 * CA it refuses the server with an error that says why; a plain-text client gets nothing from the TLS port. Skipped,
 * with the reason printed, when redis-server or openssl is missing or the redis-server build has no TLS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisTlsIT {
    private static final int PORT = 16380;

    private Path dir;
    private TlsFiles tls;
    private SideServer redis;
    private final String password = UUID.randomUUID().toString();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        tls = TlsFiles.createOrSkip(Files.createDirectories(dir.resolve("tls")));
        redis = SideServer.start("redis-tls", List.of("redis-server", "--port", "0", "--tls-port",
                Integer.toString(PORT), "--bind", "127.0.0.1", "--tls-cert-file", tls.serverCert().toString(),
                "--tls-key-file", tls.serverKey().toString(), "--tls-ca-cert-file", tls.caCert().toString(),
                "--tls-auth-clients", "no", "--requirepass", password, "--save", "", "--appendonly", "no",
                "--dir", dir.toString()), dir, PORT, Duration.ofSeconds(10),
                Pattern.compile("(?i)tls.*not (supported|compiled|built)|bad directive|unrecognized option"));
    }

    @AfterAll
    void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    private SuhoClients clients(String host, Map<String, String> extra) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("cache-tls-it")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve(UUID.randomUUID() + ".json"))
                .meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.CACHE, host + ":" + PORT)
                .set("suho.cache.tls", "true")
                .set("suho.cache.password", password)
                .set("suho.cache.timeout", "2s");
        extra.forEach(b::set);
        return b.build();
    }

    @Test
    void worksOverTlsWithTheConfiguredCa() {
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            try (SuhoClients suho = clients(host, Map.of("suho.cache.tls.ca-file", tls.caCert().toString()))) {
                CacheClient cache = suho.get(CacheClient.class);
                cache.set("greeting", "over tls via " + host, Duration.ofMinutes(1));
                assertThat(cache.get("greeting", String.class)).contains("over tls via " + host);
                StoreHealth health = suho.health(Store.CACHE);
                assertThat(health.status()).as(String.valueOf(health)).isEqualTo(HealthStatus.UP);
            }
        }
    }

    @Test
    void refusesTheServerWithoutTheCaAndSaysWhy() {
        try (SuhoClients suho = clients("localhost", Map.of())) {
            CacheClient cache = suho.get(CacheClient.class);
            assertThatThrownBy(() -> cache.get("greeting", String.class))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("not sent")
                    .satisfies(e -> assertThat(chain(e)).containsIgnoringCase("certification path"));
            assertThat(suho.health(Store.CACHE).status()).isEqualTo(HealthStatus.DOWN);
        }
    }

    @Test
    void aPlainTextClientGetsNothingFromTheTlsPort() {
        try (SuhoClients suho = SuhoClients.builder().serviceName("cache-tls-it")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("plain.json")).meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.CACHE, "127.0.0.1:" + PORT).set("suho.cache.password", password)
                .set("suho.cache.timeout", "1s").build()) {
            CacheClient cache = suho.get(CacheClient.class);
            assertThatThrownBy(() -> cache.get("greeting", String.class))
                    .isInstanceOfAny(StoreUnavailableException.class, io.suho.client.core.StoreTimeoutException.class);
        }
    }

    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append(" <- ");
        }
        return sb.toString();
    }
}
