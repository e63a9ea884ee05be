package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Configured secrets (store passwords, the hub token) appear in no response and no log line — including the
 * error paths: a wrong ClickHouse password, an unreachable ArangoDB with a password, refused writes.
 */
class SecretsIT {
    private static final String CLICKHOUSE_PW = "ch-secret-7d1e0b";
    private static final String ARANGO_PW = "arango-secret-91ab3c";

    @TempDir
    Path dir;

    @Test
    void noSecretInAnyResponseOrLogLine() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger suho = ctx.getLogger("io.suho");
        Level before = suho.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(ctx);
        captured.start();
        root.addAppender(captured);
        suho.setLevel(Level.DEBUG);

        Map<String, String> env = TestHub.env();
        env.put("CLICKHOUSE_PASSWORD", CLICKHOUSE_PW);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        env.put("ARANGO_URL", "http://127.0.0.1:" + closedPort);
        env.put("ARANGO_PASSWORD", ARANGO_PW);
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "file-token-5c0ffee5-1d2e3f4a5b6c7d8e9f\n");
        env.remove("SUHO_HUB_TOKEN");
        env.put("SUHO_HUB_TOKEN_FILE", tokenFile.toString());

        List<String> secrets = new ArrayList<>(List.of(CLICKHOUSE_PW, ARANGO_PW, "file-token-5c0ffee5-1d2e3f4a5b6c7d8e9f"));
        for (String name : List.of("POSTGRES_PASSWORD", "DRAGONFLY_PASSWORD")) {
            if (env.get(name) != null) {
                secrets.add(env.get(name));
            }
        }
        List<String> bodies = new ArrayList<>();
        try (TestHub hub = TestHub.start(env)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.get("/v1/health/ready").statusCode() == 200
                    && hub.get("/v1/stores/graph").body().contains("\"DOWN\""));
            HttpResponse<String> reg = hub.send("POST", "/v1/instances",
                    "{\"service\":\"secret-check\",\"host\":\"h\",\"port\":1}", "file-token-5c0ffee5-1d2e3f4a5b6c7d8e9f");
            assertThat(reg.statusCode()).isEqualTo(201);
            bodies.add(reg.body());
            String id = TestHub.json(reg).get("instanceId").asText();
            bodies.add(hub.send("PUT", "/v1/instances/" + id + "/heartbeat", "{}", "file-token-5c0ffee5-1d2e3f4a5b6c7d8e9f").body());
            bodies.add(hub.send("POST", "/v1/instances", "{\"service\":\"x\",\"host\":\"h\",\"port\":1}",
                    CLICKHOUSE_PW).body());
            for (String path : List.of("/", "/metrics", "/v1/health", "/v1/health/ready", "/v1/endpoints",
                    "/v1/services", "/v1/services/secret-check", "/v1/instances/" + id)) {
                bodies.add(hub.get(path).body());
            }
            for (String s : List.of("postgres", "cache", "analytics", "vector", "graph", "nats", "kafka")) {
                bodies.add(hub.get("/v1/stores/" + s).body());
            }
            bodies.add(hub.server.toString());
        } finally {
            root.detachAppender(captured);
            suho.setLevel(before);
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : captured.list) {
            lines.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        assertThat(lines).as("captured log lines").isNotEmpty();
        assertThat(String.join("\n", lines)).contains("graph");
        for (String secret : secrets) {
            for (String body : bodies) {
                assertThat(body).doesNotContain(secret);
            }
            for (String line : lines) {
                assertThat(line).doesNotContain(secret);
            }
        }
        assertThat(HubConfig.from(env).toString()).doesNotContain(secrets.toArray(String[]::new));
    }

    @Test
    void configErrorsNameTheVariableButNotTheSecret() {
        try {
            HubConfig.from(Map.of("SUHO_HUB_TOKEN", "short"));
            throw new AssertionError("a short token must be refused");
        } catch (io.suho.client.core.ConfigurationException e) {
            assertThat(e.getMessage()).contains("SUHO_HUB_TOKEN").doesNotContain("short\"").doesNotContain("'short'");
        }
    }
}
