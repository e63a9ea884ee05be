package io.suho.client.vector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.client.vector.PropertyType;
import io.suho.client.vector.VectorClient;
import io.suho.client.vector.VectorCollection;
import io.suho.test.ScriptedHttpEndpoint;
import io.suho.test.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code suho.vector.tls.ca-file} against a real TLS server: no Weaviate is available here, so a JDK HTTPS server made
 * in the test, with a certificate from a throw-away CA ({@link TlsFiles}), answers the routes the SDK calls before and
 * while sending — the readiness probe, client6's liveness/meta handshake and one schema read (scripted as a 500 so
 * that an answer proves the request crossed the TLS connection). With the CA file both the JDK client (health) and
 * client6's REST transport trust the server; without it the handshake is refused and nothing is sent. Weaviate's gRPC
 * port is not exercised (no TLS gRPC server here); it gets the same trust managers from client6.
 */
class WeaviateTlsTest {
    private static final String META = "{\"hostname\":\"https://[::]:8443\",\"version\":\"1.32.4\",\"modules\":{}}";
    private static final String SCHEMA = "/v1/schema/Trades";
    private static final VectorCollection TRADES = VectorCollection.builder("Trades")
            .property("symbol", PropertyType.TEXT).build();

    @TempDir
    Path dir;
    private TlsFiles tls;
    private ScriptedHttpEndpoint server;
    private SuhoClients suho;

    @BeforeEach
    void start() throws Exception {
        tls = TlsFiles.createOrSkip(Files.createDirectories(dir.resolve("tls")));
        server = ScriptedHttpEndpoint.https(tls.serverKeystore(), tls.keystorePassword())
                .on("GET", "/v1/.well-known/live", ScriptedHttpEndpoint.Answer.of(200, ""))
                .on("GET", "/v1/.well-known/ready", ScriptedHttpEndpoint.Answer.of(200, ""))
                .on("GET", "/v1/meta", ScriptedHttpEndpoint.Answer.of(200, META))
                .on("GET", SCHEMA, ScriptedHttpEndpoint.Answer.of(500, "{\"error\":[{\"message\":\"over tls\"}]}"));
    }

    @AfterEach
    void stop() {
        if (suho != null) {
            suho.close();
        }
        server.close();
    }

    private SuhoClients.Builder builder(String host) {
        return SuhoClients.builder().serviceName("vector-tls-test")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.VECTOR, host + ":" + server.port())
                .set("suho.vector.tls", "true")
                .set("suho.vector.timeout", "2s")
                .set("suho.vector.retry.max-retries", "0");
    }

    @Test
    void trustsTheServerThroughTheConfiguredCa() {
        suho = builder("localhost").set(WeaviateSettings.TLS_CA_FILE, tls.caCert().toString()).build();
        VectorClient vectors = suho.get(VectorClient.class);
        StoreHealth health = suho.health(Store.VECTOR);
        assertThat(health.status()).as(String.valueOf(health)).isEqualTo(HealthStatus.UP);

        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .as("client6 sent the schema read over TLS and got the server's answer")
                .isInstanceOfSatisfying(StoreOperationException.class, e -> assertThat(e.errorCode()).isEqualTo("500"))
                .hasMessageContaining("over tls");
        assertThat(server.hits("GET", "/v1/meta")).isPositive();
        assertThat(server.hits("GET", SCHEMA)).isEqualTo(1);
    }

    @Test
    void refusesTheServerWithoutTheCa() {
        suho = builder("localhost").build();
        VectorClient vectors = suho.get(VectorClient.class);
        StoreHealth health = suho.health(Store.VECTOR);
        assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(String.valueOf(health)).as("the JVM's trust store does not know the test CA")
                .containsIgnoringCase("certification path");

        assertThatThrownBy(() -> vectors.ensureCollection(TRADES))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("not sent");
        assertThat(server.hits("GET", SCHEMA)).as("no request crossed an untrusted connection").isZero();
    }

    @Test
    void anUnreadableCaFileIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> builder("localhost").set(WeaviateSettings.TLS_CA_FILE,
                dir.resolve("missing.pem").toString()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.vector.tls.ca-file").hasMessageContaining("not a readable file");
    }
}
