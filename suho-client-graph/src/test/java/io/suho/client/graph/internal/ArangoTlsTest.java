package io.suho.client.graph.internal;

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
import io.suho.client.graph.GraphClient;
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
 * {@code suho.graph.tls.ca-file} and the client certificate ({@code suho.graph.tls.keystore}) against a real TLS
 * server: no ArangoDB is available here, so a JDK HTTPS server made in the test, with certificates from a throw-away
 * CA ({@link TlsFiles}), answers the health route ({@code /_api/version}) and one document read (scripted as a 500, so
 * that an answer proves the request crossed the TLS connection) — through the real ArangoDB driver over HTTP/1.1.
 * With the CA the driver trusts the server; without it the handshake is refused and nothing is sent; a server that
 * requires a client certificate admits the keystore's and refuses a client without one.
 */
class ArangoTlsTest {
    private static final String DOC = "/_db/suho_graph/_api/document/trades/k1";
    private static final String VERSION = "/_db/_system/_api/version";

    @TempDir
    Path dir;
    private TlsFiles tls;
    private ScriptedHttpEndpoint server;
    private SuhoClients suho;

    @BeforeEach
    void certificates() throws Exception {
        tls = TlsFiles.createOrSkip(Files.createDirectories(dir.resolve("tls")));
    }

    @AfterEach
    void stop() {
        if (suho != null) {
            suho.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void serve(boolean requireClientCertificate) throws Exception {
        server = ScriptedHttpEndpoint.https(tls.serverKeystore(), tls.keystorePassword(),
                        requireClientCertificate ? tls.caCert() : null)
                .on("GET", VERSION, ScriptedHttpEndpoint.Answer.of(200,
                        "{\"server\":\"arango\",\"version\":\"3.12.4\",\"license\":\"community\"}"))
                .on("GET", DOC, ScriptedHttpEndpoint.Answer.of(500,
                        "{\"error\":true,\"code\":500,\"errorNum\":4,\"errorMessage\":\"answered over tls\"}"));
    }

    private GraphClient client(Map<String, String> tlsKeys) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("graph-tls-test")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve("endpoints.json"))
                .meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.GRAPH, "localhost:" + server.port())
                .credentials(Store.GRAPH, "root", "test-secret")
                .set("suho.graph.tls", "true")
                .set("suho.graph.protocol", "http1")
                .set("suho.graph.timeout", "2s")
                .set("suho.graph.retry.max-retries", "0");
        tlsKeys.forEach(b::set);
        suho = b.build();
        return suho.get(GraphClient.class);
    }

    @Test
    void trustsTheServerThroughTheConfiguredCa() throws Exception {
        serve(false);
        GraphClient graph = client(Map.of(ArangoSettings.TLS_CA_FILE, tls.caCert().toString()));
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOf(StoreOperationException.class).hasMessageContaining("answered over tls");
        assertThat(server.hits("GET", DOC)).isEqualTo(1);
        StoreHealth health = suho.health(Store.GRAPH);
        assertThat(health.status()).as(String.valueOf(health)).isEqualTo(HealthStatus.UP);
    }

    @Test
    void refusesTheServerWithoutTheCa() throws Exception {
        serve(false);
        GraphClient graph = client(Map.of());
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("not sent");
        assertThat(server.hits("GET", DOC)).as("no request crossed an untrusted connection").isZero();
        assertThat(suho.health(Store.GRAPH).status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void presentsTheClientCertificateToAServerThatRequiresOne() throws Exception {
        serve(true);
        GraphClient graph = client(Map.of(ArangoSettings.TLS_CA_FILE, tls.caCert().toString(),
                ArangoSettings.TLS_KEYSTORE, tls.clientKeystore().toString(),
                ArangoSettings.TLS_KEYSTORE_PASSWORD, tls.keystorePassword()));
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOf(StoreOperationException.class).hasMessageContaining("answered over tls");
        assertThat(server.hits("GET", DOC)).isEqualTo(1);
    }

    @Test
    void withoutAClientCertificateAServerThatRequiresOneRefusesTheConnection() throws Exception {
        serve(true);
        GraphClient graph = client(Map.of(ArangoSettings.TLS_CA_FILE, tls.caCert().toString()));
        assertThatThrownBy(() -> graph.get("trades", "k1", Map.class))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("not sent");
        assertThat(server.hits("GET", DOC)).isZero();
    }

    @Test
    void aWrongKeystorePasswordIsAConfigurationErrorNamingTheKeystore() throws Exception {
        serve(true);
        assertThatThrownBy(() -> client(Map.of(ArangoSettings.TLS_CA_FILE, tls.caCert().toString(),
                ArangoSettings.TLS_KEYSTORE, tls.clientKeystore().toString(),
                ArangoSettings.TLS_KEYSTORE_PASSWORD, "not-the-password")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.graph.tls.keystore").hasMessageNotContaining("not-the-password");
        assertThatThrownBy(() -> client(Map.of(ArangoSettings.TLS_CA_FILE, dir.resolve("none.pem").toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.graph.tls.ca-file").hasMessageContaining("not a readable file");
    }
}
