package io.suho.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A hub started in-process on a free port against the real local stores (as resolved by suho-test-support),
 * with short probe intervals, and a {@code java.net.http} client to talk to it over real HTTP.
 */
final class TestHub implements AutoCloseable {
    static final String TOKEN = "test-token-4f9c2e81b7-0d6a3c5e9f1b2a47";
    static final ObjectMapper JSON = new ObjectMapper();

    final HubServer server;
    final URI base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    /** Lease secrets of the instances {@link #register} created, by id. */
    final Map<String, String> leases = new java.util.concurrent.ConcurrentHashMap<>();

    private TestHub(HubServer server) {
        this.server = server;
        this.base = server.uri();
    }

    /**
     * The environment a hub gets in these tests: every store the test support can resolve, fast probes
     * (200 ms, down after 2 failures, up after 2 successes), port 0 and the test token.
     */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SUHO_HUB_HOST", "127.0.0.1");
        env.put("SUHO_HUB_PORT", "0");
        env.put("SUHO_HUB_TOKEN", TOKEN);
        env.put("SUHO_HUB_PROBE_INTERVAL", "200ms");
        env.put("SUHO_HUB_PROBE_TIMEOUT", "1s");
        env.put("SUHO_HUB_PROBE_KAFKA_TIMEOUT", "2s");
        env.put("SUHO_HUB_PROBE_FAILURES", "2");
        env.put("SUHO_HUB_PROBE_SUCCESSES", "2");
        env.put("SUHO_HUB_REAPER_INTERVAL", "100ms");
        StoreServer pg = server(StoreKind.POSTGRES);
        if (pg != null) {
            env.put("POSTGRES_HOST", pg.host());
            env.put("POSTGRES_PORT", Integer.toString(pg.port()));
            put(env, "POSTGRES_DB", pg.database());
            put(env, "POSTGRES_USER", pg.user());
            put(env, "POSTGRES_PASSWORD", pg.password());
        }
        StoreServer redis = server(StoreKind.REDIS);
        if (redis != null) {
            env.put("DRAGONFLY_HOST", redis.host());
            env.put("DRAGONFLY_PORT", Integer.toString(redis.port()));
            put(env, "DRAGONFLY_PASSWORD", redis.password());
        }
        StoreServer ch = server(StoreKind.CLICKHOUSE);
        if (ch != null) {
            env.put("CLICKHOUSE_HOST", ch.host());
            env.put("CLICKHOUSE_HTTP_PORT", Integer.toString(ch.port()));
            put(env, "CLICKHOUSE_DB", ch.database());
            put(env, "CLICKHOUSE_USER", ch.user());
            put(env, "CLICKHOUSE_PASSWORD", ch.password());
        }
        StoreServer nats = server(StoreKind.NATS);
        if (nats != null) {
            env.put("NATS_URL", "nats://" + nats.hostPort());
        }
        StoreServer kafka = server(StoreKind.KAFKA);
        if (kafka != null) {
            env.put("KAFKA_BROKERS", kafka.hostPort());
        }
        return env;
    }

    static StoreServer server(StoreKind kind) {
        StoreResolver.Resolution r = StoreResolver.resolve(kind);
        if (!r.available()) {
            System.err.println("note: no real " + kind + " for the hub's tests (" + r.reason() + "); the hub will "
                    + "report it DOWN");
            return null;
        }
        return r.server();
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    static TestHub start(Map<String, String> env) throws Exception {
        return new TestHub(HubServer.start(HubConfig.from(env)));
    }

    static TestHub start() throws Exception {
        return start(env());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(70)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with one extra request header (e.g. If-None-Match). */
    HttpResponse<String> get(String path, String header, String value) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).header(header,
                value).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        // heartbeat and deregistration of an instance this hub registered for the test: with the test token, the
        // test means "with valid credentials", which for these routes is the instance's lease secret
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/v1/instances/([^/?]+).*").matcher(path);
        if (TOKEN.equals(token) && m.matches() && leases.containsKey(m.group(1))) {
            b.header("X-Suho-Lease-Secret", leases.get(m.group(1)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (method.equals("POST") && path.equals("/v1/instances") && r.statusCode() == 201) {
            JsonNode n = json(r);
            leases.put(n.get("instanceId").asText(), n.get("leaseSecret").asText());
        }
        return r;
    }

    /** Registers an instance with the test token; returns its id. */
    String register(String service, int ttlSeconds) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/v1/instances", "{\"service\":\"" + service
                + "\",\"host\":\"10.0.0.7\",\"port\":8080,\"ttlSeconds\":" + ttlSeconds + "}", TOKEN);
        if (r.statusCode() != 201) {
            throw new AssertionError("register answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode n = json(r);
        leases.put(n.get("instanceId").asText(), n.get("leaseSecret").asText());
        return n.get("instanceId").asText();
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** A raw HTTP/1.1 exchange on a socket, for request lines a URI class would refuse to build. */
    RawResponse raw(String requestHead) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int sp = all.indexOf(' ');
            int status = Integer.parseInt(all.substring(sp + 1, sp + 4));
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split);
            String body = all.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new RawResponse(status, head, body);
        }
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            int len = Integer.parseInt(body.substring(i, eol).trim(), 16);
            if (len == 0) {
                break;
            }
            out.append(body, eol + 2, eol + 2 + len);
            i = eol + 2 + len + 2;
        }
        return out.toString();
    }

    record RawResponse(int status, String head, String body) {
    }

    @Override
    public void close() {
        server.close();
    }
}
