package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.SuhoClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub over HTTPS with a self-signed certificate made here by {@code keytool}: the SDK trusts it through
 * {@code suho.hub.tls.ca-file} and registers over TLS; without that CA it does not trust the hub; the port speaks
 * no plain HTTP; an {@code http://} hub with a token is refused by {@code build()}.
 */
class HubTlsIT {
    private static final String STORE_PASSWORD = "keystore-pw-for-tests";

    @TempDir
    static Path dir;

    private static Path ca;
    private static TestHub hub;

    @BeforeAll
    static void startHubWithASelfSignedCertificate() throws Exception {
        Path keystore = dir.resolve("hub.p12");
        ca = dir.resolve("hub-ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        run(keytool, "-exportcert", "-rfc", "-alias", "hub", "-keystore", keystore.toString(), "-storetype",
                "PKCS12", "-storepass", STORE_PASSWORD, "-file", ca.toString());
        Path passwordFile = Files.writeString(dir.resolve("keystore-password"), STORE_PASSWORD + "\n");
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_TLS_KEYSTORE", keystore.toString());
        env.put("SUHO_HUB_TLS_KEYSTORE_PASSWORD_FILE", passwordFile.toString());
        hub = TestHub.start(env);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }

    private static SuhoClients.Builder sdk(URI hubUri) {
        return SuhoClients.builder().serviceName("tls-client").hub(hubUri).hubToken(TestHub.TOKEN)
                .endpointCacheFile(dir.resolve("endpoints-" + System.nanoTime() + ".json")).environment(Map.of())
                .hubTimeout(Duration.ofSeconds(3));
    }

    @Test
    void theSdkTrustsTheHubThroughItsConfiguredCaAndRegistersOverTls() {
        assertThat(hub.base.getScheme()).isEqualTo("https");
        for (String host : List.of("127.0.0.1", "localhost")) {
            URI uri = URI.create("https://" + host + ":" + hub.base.getPort());
            try (SuhoClients suho = sdk(uri).set("suho.hub.tls.ca-file", ca.toString()).build()) {
                assertThat(suho.endpointVersion()).as(host).isEqualTo(hub.server.endpointsVersion());
                assertThat(suho.instanceId()).as(host).isNotNull();
                assertThat(hub.server.instances()).isPositive();
            }
        }
    }

    @Test
    void withoutTheCaTheSdkDoesNotTrustTheHub() {
        // the JVM's trust store does not know the self-signed certificate: no catalog is taken, no token is sent.
        // suho-client-postgres is on this test classpath (SharedRegistryIT), so without the catalog its hosts are
        // unresolved and build() refuses, naming the untrusted hub as the reason
        int before = hub.server.instances();
        assertThatThrownBy(() -> sdk(hub.base).build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.postgres.hosts").hasMessageContaining("unreachable")
                .hasMessageContaining("SSLHandshakeException");
        // with the store configured locally, build() goes on without the hub's catalog and without registering
        try (SuhoClients suho = sdk(hub.base).set("suho.postgres.hosts", "127.0.0.1:5432").build()) {
            assertThat(suho.endpointVersion()).isEqualTo(-1);
            assertThat(suho.instanceId()).isNull();
        }
        assertThat(hub.server.instances()).isEqualTo(before);
    }

    @Test
    void thePortSpeaksNoPlainHttp() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI http = URI.create("http://127.0.0.1:" + hub.base.getPort() + "/v1/endpoints");
        HttpResponse<String> r = null;
        try {
            r = plain.send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException expected) {
            // the TLS connector drops a plain-text request
        }
        if (r != null) {
            assertThat(r.statusCode()).isNotEqualTo(200);
            assertThat(r.body()).doesNotContain("\"stores\"");
        }
    }

    @Test
    void aPlainHttpHubWithATokenIsRefusedByBuild() {
        URI http = URI.create("http://127.0.0.1:" + hub.base.getPort());
        assertThatThrownBy(() -> sdk(http).build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.hub.allow-insecure").hasMessageNotContaining(TestHub.TOKEN);
    }

    private static javax.net.ssl.SSLContext trustingTheHub() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("hub", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    @Test
    void longPollsOverTlsKeepTheConnectionAndAreFreedWhenTheClientLeaves() throws Exception {
        javax.net.ssl.SSLContext ssl = trustingTheHub();
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
        long v = TestHub.json(client.send(HttpRequest.newBuilder(hub.base.resolve("/v1/endpoints")).build(),
                HttpResponse.BodyHandlers.ofString())).get("version").asLong();
        URI poll = hub.base.resolve("/v1/endpoints?version=" + v + "&waitSeconds=1");
        for (int i = 0; i < 3; i++) { // one keep-alive connection: each answered long-poll leaves it usable
            assertThat(client.send(HttpRequest.newBuilder(poll).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(304);
        }
        for (int i = 0; i < 20; i++) {
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ssl.getSocketFactory()
                    .createSocket("127.0.0.1", hub.base.getPort())) {
                s.getOutputStream().write(("GET /v1/endpoints?version=" + v + "&waitSeconds=60 HTTP/1.1\r\n"
                        + "Host: hub\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.send(HttpRequest.newBuilder(hub.base.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().lines()
                        .anyMatch(l -> l.equals("suho_hub_longpoll_waiting 0.0")));
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndHsts() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("hub", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(hub.base.resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void withAClientCaRegistrationsNeedAClientCertificateAndReadsDoNot() throws Exception {
        Path clientStore = dir.resolve("client.p12");
        Path clientCa = dir.resolve("client-ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "order-service", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=order-service", "-validity", "2", "-keystore", clientStore.toString(), "-storetype",
                "PKCS12", "-storepass", STORE_PASSWORD);
        run(keytool, "-exportcert", "-rfc", "-alias", "order-service", "-keystore", clientStore.toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-file", clientCa.toString());
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_TLS_KEYSTORE", dir.resolve("hub.p12").toString());
        env.put("SUHO_HUB_TLS_KEYSTORE_PASSWORD", STORE_PASSWORD);
        env.put("SUHO_HUB_TLS_CLIENT_CA", clientCa.toString());
        try (TestHub mtls = TestHub.start(env)) {
            try (SuhoClients suho = sdk(mtls.base).set("suho.hub.tls.ca-file", ca.toString())
                    .set("suho.hub.tls.keystore", clientStore.toString())
                    .set("suho.hub.tls.keystore-password", STORE_PASSWORD).build()) {
                assertThat(suho.instanceId()).as("registered with its client certificate").isNotNull();
            }
            try (SuhoClients noCert = sdk(mtls.base).set("suho.hub.tls.ca-file", ca.toString()).build()) {
                assertThat(noCert.endpointVersion()).as("reads need no certificate")
                        .isEqualTo(mtls.server.endpointsVersion());
                assertThat(noCert.instanceId()).as("registration without a certificate is refused").isNull();
            }
        }
    }

    @Test
    void aPemCertificateAndKeyWorkLikeAKeystore() throws Exception {
        Path cert = dir.resolve("pem-hub.crt");
        Path key = dir.resolve("pem-hub.key");
        try {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=localhost", "-days", "2",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        } catch (IOException noOpenssl) {
            System.err.println("SKIPPED aPemCertificateAndKeyWorkLikeAKeystore: openssl not found (" + noOpenssl
                    + ")");
            org.junit.jupiter.api.Assumptions.abort("openssl not found");
        }
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_TLS_CERT", cert.toString());
        env.put("SUHO_HUB_TLS_KEY", key.toString());
        try (TestHub pem = TestHub.start(env)) {
            assertThat(pem.base.getScheme()).isEqualTo("https");
            try (SuhoClients suho = sdk(pem.base).set("suho.hub.tls.ca-file", cert.toString()).build()) {
                assertThat(suho.endpointVersion()).isEqualTo(pem.server.endpointsVersion());
                assertThat(suho.instanceId()).isNotNull();
            }
        }
        Map<String, String> half = TestHub.env();
        half.put("SUHO_HUB_TLS_CERT", cert.toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HubConfig.from(half))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("SUHO_HUB_TLS_KEY");
    }
}
