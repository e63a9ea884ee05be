package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.suho.client.core.SuhoClients;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable shaded jar as ops run it ({@code java -jar target/suho-hub-server*.jar}): its start-up line, the
 * read-only warning, core's SDK against it, graceful SIGTERM, and a bad setting ending it with one line.
 */
class HubJarIT {

    @TempDir
    Path dir;

    private static Path jar() {
        File[] jars = new File("target").listFiles((d, n) -> n.startsWith("suho-hub-server") && n.endsWith(".jar")
                && !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar"));
        if (jars == null || jars.length != 1) {
            System.err.println("SKIPPED HubJarIT: expected exactly one target/suho-hub-server*.jar (run mvn verify)");
            Assumptions.abort("no runnable jar in target/");
        }
        return jars[0].toPath();
    }

    private Process start(Map<String, String> env, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SUHO_HUB_") || k.startsWith("POSTGRES_")
                || k.startsWith("DRAGONFLY_") || k.startsWith("CLICKHOUSE_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theJarStartsServesTheSdkAndStopsGracefullyOnSigterm() throws Exception {
        int port = freePort();
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_PORT", Integer.toString(port));
        Path log = dir.resolve("hub.log");
        Process hub = start(env, log);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !hub.isAlive()
                    || Files.readString(log).contains("suho hub listening on http://127.0.0.1:" + port));
            assertThat(hub.isAlive()).as(Files.readString(log)).isTrue();
            try (SuhoClients suho = SuhoClients.builder().serviceName("jar-check")
                    .hub(java.net.URI.create("http://127.0.0.1:" + port)).hubToken(TestHub.TOKEN)
                    .set("suho.hub.allow-insecure", "true")
                    .endpointCacheFile(dir.resolve("e.json")).environment(Map.of()).build()) {
                assertThat(suho.instanceId()).isNotNull();
                assertThat(suho.config().get("suho.postgres.database")).hasValue("suho_trading");
            }
        } finally {
            hub.destroy(); // SIGTERM
        }
        assertThat(hub.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(out).contains("shutting down", "hub stopped").doesNotContain("READ-ONLY");
        assertThat(out.lines().filter(l -> l.contains("suho hub listening on"))).hasSize(1);
    }

    @Test
    void withoutATokenTheJarWarnsItIsReadOnly() throws Exception {
        int port = freePort();
        Map<String, String> env = TestHub.env();
        env.remove("SUHO_HUB_TOKEN");
        env.put("SUHO_HUB_PORT", Integer.toString(port));
        Path log = dir.resolve("ro.log");
        Process hub = start(env, log);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !hub.isAlive()
                    || Files.readString(log).contains("READ-ONLY"));
            assertThat(Files.readString(log)).contains("WARN").contains("READ-ONLY");
        } finally {
            hub.destroy();
            hub.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBadSettingEndsTheJarWithOneLineNamingIt() throws Exception {
        Path log = dir.resolve("bad.log");
        Process hub = start(Map.of("POSTGRES_PORT", "54x2", "POSTGRES_PASSWORD", "pw-never-printed"), log);
        assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.exitValue()).isEqualTo(2);
        String out = Files.readString(log).strip();
        assertThat(out.lines()).hasSize(1);
        assertThat(out).contains("POSTGRES_PORT").contains("54x2").doesNotContain("pw-never-printed");
    }
}
