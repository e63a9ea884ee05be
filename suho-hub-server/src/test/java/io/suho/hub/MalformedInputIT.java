package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and sloppy input: every case must be a 4xx with {@code {"error", "message"}} (never a 500, never a stack
 * trace), and the hub must keep serving afterwards.
 */
class MalformedInputIT {
    private static TestHub hub;
    private static String instanceId;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = TestHub.env();
        env.put("SUHO_HUB_PROBE_INTERVAL", "5s"); // probes are not what this suite is about
        hub = TestHub.start(env);
        instanceId = hub.register("malformed-suite", 300);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @AfterEach
    void hubIsStillAlive() throws Exception {
        assertThat(hub.get("/v1/health/live").statusCode()).isEqualTo(200);
        assertThat(hub.get("/v1/endpoints").statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> badBodies() {
        String ok = "\"host\":\"h\",\"port\":1";
        return Stream.of(
                Arguments.of("POST", "/v1/instances", "{", 400),
                Arguments.of("POST", "/v1/instances", "[]", 400),
                Arguments.of("POST", "/v1/instances", "\"text\"", 400),
                Arguments.of("POST", "/v1/instances", "null", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\"," + ok + "} trailing", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\",\"service\":\"b\"," + ok + "}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":123," + ok + "}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":[\"a\"]," + ok + "}", 400),
                Arguments.of("POST", "/v1/instances", "{\"host\":\"h\",\"port\":1}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"bad name!\"," + ok + "}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"\"," + ok + "}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"" + "x".repeat(65) + "\"," + ok + "}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"../../etc\"," + ok + "}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\",\"host\":\"<script>\",\"port\":1}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\",\"host\":\"h\",\"port\":\"80\"}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\",\"host\":\"h\",\"port\":1.5}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\",\"host\":\"h\",\"port\":70000}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\",\"host\":\"h\",\"port\":-1}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\",\"host\":\"h\",\"port\":1e400}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\"," + ok + ",\"ttlSeconds\":0}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\"," + ok + ",\"ttlSeconds\":999999}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\"," + ok + ",\"ttlSeconds\":true}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\"," + ok + ",\"meta\":\"x\"}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\"," + ok + ",\"meta\":{\"k\":1}}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\"," + ok
                        + ",\"meta\":{\"db_password\":\"x\"}}", 400),
                Arguments.of("POST", "/v1/instances", "{\"service\":\"a\"," + ok + ",\"meta\":{\"a b\":\"x\"}}", 400),
                Arguments.of("PUT", "/v1/instances/{id}/heartbeat", "{\"stores\":[]}", 400),
                Arguments.of("PUT", "/v1/instances/{id}/heartbeat", "{\"stores\":{\"mysql\":{\"breaker\":\"OPEN\"}}}",
                        400),
                Arguments.of("PUT", "/v1/instances/{id}/heartbeat",
                        "{\"stores\":{\"cache\":{\"breaker\":\"BROKEN\"}}}", 400),
                Arguments.of("PUT", "/v1/instances/{id}/heartbeat", "{\"stores\":{\"cache\":\"OPEN\"}}", 400),
                Arguments.of("PUT", "/v1/instances/{id}/heartbeat",
                        "{\"stores\":{\"cache\":{\"breaker\":\"OPEN\",\"calls\":-1}}}", 400),
                Arguments.of("PUT", "/v1/instances/{id}/heartbeat",
                        "{\"stores\":{\"cache\":{\"breaker\":\"OPEN\",\"errorRate\":2}}}", 400),
                Arguments.of("PUT", "/v1/instances/{id}/heartbeat",
                        "{\"stores\":{\"cache\":{\"breaker\":\"OPEN\",\"errorRate\":\"x\"}}}", 400),
                Arguments.of("PUT", "/v1/instances/{id}/heartbeat", "not json", 400));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badBodies")
    void badBodiesAre4xxJson(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> r = hub.send(method, path.replace("{id}", instanceId), body, TestHub.TOKEN);
        assertError(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), status);
    }

    @Test
    void oversizeBodyWithLengthIs413() throws Exception {
        String big = "{\"service\":\"a\",\"host\":\"h\",\"port\":1,\"meta\":{\"k\":\"" + "x".repeat(70_000) + "\"}}";
        HttpResponse<String> r = hub.send("POST", "/v1/instances", big, TestHub.TOKEN);
        assertError(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), 413);
    }

    @Test
    void oversizeChunkedBodyIs413() throws Exception {
        byte[] big = ("{\"service\":\"a\",\"pad\":\"" + "y".repeat(200_000) + "\"}").getBytes();
        HttpRequest req = HttpRequest.newBuilder(hub.base.resolve("/v1/instances")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestHub.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> r = hub.http.send(req, HttpResponse.BodyHandlers.ofString());
        assertError(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), 413);
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(hub.base.resolve("/v1/instances"))
                .header("Content-Type", "text/plain").header("Authorization", "Bearer " + TestHub.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"a\",\"host\":\"h\",\"port\":1}")).build();
        HttpResponse<String> r = hub.http.send(req, HttpResponse.BodyHandlers.ofString());
        assertError(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), 415);
    }

    static Stream<Arguments> badRequestLines() {
        return Stream.of(
                Arguments.of("GET /v1/instances/..%2F.. HTTP/1.1", 400),
                Arguments.of("PUT /v1/instances/..%2F..%2Fhealth/heartbeat HTTP/1.1", 400),
                Arguments.of("GET /v1/instances/%2e%2e/%2e%2e/metrics HTTP/1.1", 400),
                Arguments.of("GET /v1/instances/a%00b HTTP/1.1", 400),
                Arguments.of("GET /v1/stores/%ZZ HTTP/1.1", 400),
                Arguments.of("GET /v1/services/..%5C..%5Cetc HTTP/1.1", 400),
                Arguments.of("GET /v1/services/%3Cscript%3E HTTP/1.1", 400),
                Arguments.of("GET /v1/instances/" + "a".repeat(300) + " HTTP/1.1", 400),
                Arguments.of("GET /v1/../../etc/passwd HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?version=abc HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?version=-1 HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?version=99999999999999999999 HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?waitSeconds=5 HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?version=1&waitSeconds=999 HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?version=1&waitSeconds=abc HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?version=1&version=2 HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?foo=bar HTTP/1.1", 400),
                Arguments.of("GET /v1/endpoints?version=%ZZ HTTP/1.1", 400),
                Arguments.of("GET /v1/health?verbose=1 HTTP/1.1", 400),
                Arguments.of("GET /v2/health HTTP/1.1", 404),
                Arguments.of("GET /v1 HTTP/1.1", 404),
                Arguments.of("GET /v1/instances/abc/heartbeat/more HTTP/1.1", 404),
                Arguments.of("PATCH /v1/instances HTTP/1.1", 405),
                Arguments.of("PUT /v1/instances HTTP/1.1", 405),
                Arguments.of("POST /v1/health HTTP/1.1", 405),
                Arguments.of("DELETE /v1/endpoints HTTP/1.1", 405));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequestLines")
    void pathTricksAndBadQueriesAre4xxJson(String requestLine, int status) throws Exception {
        TestHub.RawResponse r = hub.raw(requestLine + "\r\nHost: hub\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        String type = r.head().lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                .map(l -> l.substring("content-type:".length()).trim()).findFirst().orElse("(none)");
        assertThat(type).as(r.head()).startsWith("application/json");
        assertError(r.status(), type, r.body(), status);
    }

    @Test
    void badAuthorizationHeadersAre401() throws Exception {
        for (String auth : new String[] {"Bearer ", "Basic dXNlcjpwYXNz", "Bearer", "bearer  " + "z".repeat(5000)}) {
            TestHub.RawResponse r = hub.raw("POST /v1/instances HTTP/1.1\r\nHost: hub\r\nContent-Length: 0\r\n"
                    + "Authorization: " + auth + "\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).as(auth).isEqualTo(401);
            // deregistration takes the lease secret, not a bearer token: any Authorization header is not enough
            TestHub.RawResponse d = hub.raw("DELETE /v1/instances/" + instanceId + " HTTP/1.1\r\nHost: hub\r\n"
                    + "Authorization: " + auth + "\r\nX-Suho-Lease-Secret: " + "z".repeat(43)
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(d.status()).as(auth).isEqualTo(403);
        }
        assertThat(hub.get("/v1/instances/" + instanceId).statusCode()).isEqualTo(200);
    }

    private static void assertError(int actual, String contentType, String body, int expected) throws Exception {
        assertThat(actual).as(body).isEqualTo(expected);
        assertThat(contentType).startsWith("application/json");
        JsonNode n = TestHub.JSON.readTree(body);
        assertThat(n.get("error").isTextual()).as(body).isTrue();
        assertThat(n.get("message").isTextual()).as(body).isTrue();
        assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.suho");
    }
}
