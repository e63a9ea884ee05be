package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hub against unauthenticated exhaustion: long-polls whose client went away free their slot at once, one
 * client cannot hold more than its share of waiters, a waiting long-poll outlives the short idle timeout, open
 * connections are capped, and every answer carries the security headers.
 */
class HubLimitsIT {

    private static long version(TestHub hub) throws Exception {
        return TestHub.json(hub.get("/v1/endpoints")).get("version").asLong();
    }

    private static double waiting(TestHub hub) throws Exception {
        return hub.get("/metrics").body().lines().filter(l -> l.startsWith("suho_hub_longpoll_waiting "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void abandonedLongPollsFreeTheirSlotsSoARealWatcherIsServed() throws Exception {
        try (TestHub hub = TestHub.start()) {
            long v = version(hub);
            String request = "GET /v1/endpoints?version=" + v + "&waitSeconds=60 HTTP/1.1\r\nHost: hub\r\n\r\n";
            // 500 open-and-close long-polls from one address: far above the per-client cap (64) and each would
            // otherwise hold its slot for 60 s
            for (int i = 0; i < 500; i++) {
                try (Socket s = new Socket(hub.base.getHost(), hub.base.getPort())) {
                    OutputStream out = s.getOutputStream();
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> waiting(hub) == 0);
            HttpResponse<String> watcher = hub.get("/v1/endpoints?version=" + v + "&waitSeconds=1");
            assertThat(watcher.statusCode()).as(watcher.body()).isIn(200, 304);
        }
    }

    @Test
    void oneClientCannotHoldMoreThanItsShareOfWaiters() throws Exception {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_MAX_WAITERS_PER_CLIENT", "2");
        try (TestHub hub = TestHub.start(env)) {
            long v = version(hub);
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket s = new Socket(hub.base.getHost(), hub.base.getPort());
                    held.add(s);
                    s.getOutputStream().write(("GET /v1/endpoints?version=" + v + "&waitSeconds=30 HTTP/1.1\r\n"
                            + "Host: hub\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> waiting(hub) == 2);
                HttpResponse<String> third = hub.get("/v1/endpoints?version=" + v + "&waitSeconds=5");
                assertThat(third.statusCode()).isEqualTo(429);
                assertThat(TestHub.json(third).get("message").asText()).contains("SUHO_HUB_MAX_WAITERS_PER_CLIENT");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> waiting(hub) == 0);
            assertThat(hub.get("/v1/endpoints?version=" + v + "&waitSeconds=1").statusCode()).isEqualTo(304);
        }
    }

    @Test
    void aLongPollOutlivesTheShortIdleTimeout() throws Exception {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_IDLE_TIMEOUT", "1s");
        try (TestHub hub = TestHub.start(env)) {
            long v = version(hub);
            HttpResponse<String> r = hub.get("/v1/endpoints?version=" + v + "&waitSeconds=3");
            assertThat(r.statusCode()).isEqualTo(304);
            // and an idle keep-alive connection is closed after the short timeout: the server hangs up
            try (Socket s = new Socket(hub.base.getHost(), hub.base.getPort())) {
                s.setSoTimeout(10_000);
                long start = System.nanoTime();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            }
        }
    }

    @Test
    void openConnectionsAreCapped() throws Exception {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_MAX_CONNECTIONS", "16");
        try (TestHub hub = TestHub.start(env)) {
            List<Socket> idle = new ArrayList<>();
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try {
                for (int i = 0; i < 16; i++) {
                    idle.add(new Socket(hub.base.getHost(), hub.base.getPort()));
                }
                boolean served;
                try {
                    served = fresh.send(HttpRequest.newBuilder(hub.base.resolve("/v1/health/live"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode() == 200;
                } catch (HttpTimeoutException | java.net.ConnectException expected) {
                    served = false;
                }
                assertThat(served).as("a 17th connection is not served while 16 are open").isFalse();
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> fresh.send(HttpRequest.newBuilder(hub.base.resolve("/v1/health/live"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode() == 200);
        }
    }

    @Test
    void everyAnswerCarriesSecurityHeaders() throws Exception {
        try (TestHub hub = TestHub.start()) {
            for (String path : List.of("/", "/v1/health", "/v1/endpoints", "/v1/nope", "/metrics")) {
                HttpResponse<String> r = hub.get(path);
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
                assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
                assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).get().asString()
                        .contains("default-src 'none'").contains("frame-ancestors 'none'");
                assertThat(r.headers().firstValue("Strict-Transport-Security")).as(path + " over plain http")
                        .isEmpty();
            }
        }
    }

    @Test
    void withAReadTokenReadsNeedIt() throws Exception {
        Map<String, String> env = TestHub.env();
        String readToken = "read-token-7e1f0c2b9a8d4e6f1a2b3c4d";
        env.put("SUHO_HUB_READ_TOKEN", readToken);
        try (TestHub hub = TestHub.start(env)) {
            for (String path : List.of("/v1/endpoints", "/v1/services", "/v1/instances", "/v1/stores/postgres")) {
                assertThat(hub.get(path).statusCode()).as(path).isEqualTo(401);
                assertThat(hub.get(path, "Authorization", "Bearer " + readToken).statusCode()).as(path)
                        .isEqualTo(200);
                assertThat(hub.get(path, "Authorization", "Bearer " + TestHub.TOKEN).statusCode()).as(path)
                        .isEqualTo(200);
            }
            // health: the status for everyone, the detail for token holders
            String open = hub.get("/v1/health").body();
            assertThat(TestHub.JSON.readTree(open).fieldNames()).toIterable().containsExactly("status");
            assertThat(hub.get("/v1/health", "Authorization", "Bearer " + readToken).body()).contains("\"stores\"");
            assertThat(hub.get("/v1/health/live").statusCode()).isEqualTo(200);
        }
    }
}
