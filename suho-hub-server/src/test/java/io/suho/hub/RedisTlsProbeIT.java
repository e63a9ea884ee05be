package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.suho.test.SideServer;
import io.suho.test.TlsFiles;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's Redis probe over real TLS ({@code DRAGONFLY_TLS=true}): a TLS-only redis-server of this test's own on
 * port 16381 (the shared stack's Redis is not touched) with a certificate from a throw-away CA and a password. The
 * probe has no CA-file setting of its own: it verifies against the JVM's trust store, so the hub runs as a process
 * ({@code java -jar}, as ops run it) started once with {@code -Djavax.net.ssl.trustStore} holding the CA — the cache
 * store is UP, which takes a verified handshake, {@code AUTH} and {@code PING} over TLS — and once without it — DOWN
 * with the certificate error. Skipped, with the reason printed, when redis-server, openssl or the jar is missing.
 */
class RedisTlsProbeIT {
    private static final int PORT = 16381;

    @TempDir
    Path dir;

    private static Path jar() {
        File[] jars = new File("target").listFiles((d, n) -> n.startsWith("suho-hub-server") && n.endsWith(".jar")
                && !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar"));
        if (jars == null || jars.length != 1) {
            System.err.println("SKIPPED RedisTlsProbeIT: expected exactly one target/suho-hub-server*.jar (run mvn"
                    + " verify)");
            Assumptions.abort("no runnable jar in target/");
        }
        return jars[0].toPath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process hub(int port, String password, List<String> jvmOptions, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SUHO_") || k.startsWith("POSTGRES_")
                || k.startsWith("DRAGONFLY_") || k.startsWith("CLICKHOUSE_") || k.startsWith("NATS_")
                || k.startsWith("KAFKA_") || k.startsWith("WEAVIATE_") || k.startsWith("ARANGO_"));
        pb.environment().putAll(Map.of("SUHO_HUB_HOST", "127.0.0.1", "SUHO_HUB_PORT", Integer.toString(port),
                "SUHO_HUB_TOKEN", TestHub.TOKEN, "SUHO_HUB_PROBE_INTERVAL", "200ms", "SUHO_HUB_PROBE_TIMEOUT", "1s",
                "DRAGONFLY_HOST", "localhost", "DRAGONFLY_PORT", Integer.toString(PORT), "DRAGONFLY_TLS", "true",
                "DRAGONFLY_PASSWORD", password));
        return pb.start();
    }

    private static JsonNode cache(HttpClient http, int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/stores/cache")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return TestHub.JSON.readTree(r.body());
    }

    private static void run(List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    }

    @Test
    void probesRedisOverVerifiedTlsWithAuth() throws Exception {
        jar();
        TlsFiles tls = TlsFiles.createOrSkip(Files.createDirectories(dir.resolve("tls")));
        String password = UUID.randomUUID().toString();
        String trustPassword = UUID.randomUUID().toString();
        Path trust = dir.resolve("trust.p12");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert",
                "-noprompt", "-alias", "test-ca", "-file", tls.caCert().toString(), "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", trustPassword), dir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (SideServer redis = SideServer.start("redis-tls-probe", List.of("redis-server", "--port", "0",
                "--tls-port", Integer.toString(PORT), "--bind", "127.0.0.1", "--tls-cert-file",
                tls.serverCert().toString(), "--tls-key-file", tls.serverKey().toString(), "--tls-ca-cert-file",
                tls.caCert().toString(), "--tls-auth-clients", "no", "--requirepass", password, "--save", "",
                "--appendonly", "no", "--dir", dir.toString()), dir, PORT, Duration.ofSeconds(10),
                Pattern.compile("(?i)tls.*not (supported|compiled|built)|bad directive|unrecognized option"))) {
            int port = freePort();
            Path log = dir.resolve("hub-trusting.log");
            Process trusting = hub(port, password, List.of("-Djavax.net.ssl.trustStore=" + trust,
                    "-Djavax.net.ssl.trustStoreType=PKCS12", "-Djavax.net.ssl.trustStorePassword=" + trustPassword),
                    log);
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> !trusting.isAlive() || cache(http, port).path("status").asText().equals("UP"));
                assertThat(trusting.isAlive()).as(Files.readString(log)).isTrue();
            } finally {
                trusting.destroy();
                trusting.waitFor(20, TimeUnit.SECONDS);
            }

            int port2 = freePort();
            Path log2 = dir.resolve("hub-default-trust.log");
            Process untrusting = hub(port2, password, List.of(), log2);
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> !untrusting.isAlive()
                                || cache(http, port2).path("status").asText().equals("DOWN"));
                assertThat(untrusting.isAlive()).as(Files.readString(log2)).isTrue();
                assertThat(cache(http, port2).path("lastError").asText().toLowerCase())
                        .containsAnyOf("certif", "pkix");
            } finally {
                untrusting.destroy();
                untrusting.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
