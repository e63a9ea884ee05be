package io.suho.bench.drill;

import io.suho.test.LocalStack;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Independent "the server serves again" checks for the drill's {@code server_ready_ms}: each uses the plain driver or
 * the wire protocol (never the SDK), with timeouts of a few hundred milliseconds, so it can be called every 10 ms while
 * the server comes back. A check succeeds only when the server answers a real request (a query, {@code PING},
 * {@code /ping}, cluster metadata), not when a port merely accepts connections.
 */
final class NativeReady {
    private static final int TIMEOUT_MS = 300;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(TIMEOUT_MS))
            .build();

    private NativeReady() {
    }

    /** PostgreSQL: a fresh JDBC connection answers {@code SELECT 1}. */
    static boolean postgres() {
        StoreServer s = LocalStack.server(StoreKind.POSTGRES);
        Properties p = new Properties();
        p.setProperty("user", s.user());
        if (s.password() != null) {
            p.setProperty("password", s.password());
        }
        p.setProperty("connectTimeout", "1");
        p.setProperty("socketTimeout", "1");
        p.setProperty("loginTimeout", "1");
        try (Connection c = DriverManager.getConnection(s.url(), p); Statement st = c.createStatement()) {
            return st.execute("SELECT 1");
        } catch (Exception e) {
            return false;
        }
    }

    /** Redis: {@code AUTH} (when the local stack has a password) and {@code PING} answer {@code +OK} / {@code +PONG}. */
    static boolean redis() {
        StoreServer s = LocalStack.server(StoreKind.REDIS);
        String auth = s.password() == null ? "" : resp("AUTH", s.password());
        return lineProtocol(s, auth + resp("PING"), s.password() == null ? 1 : 2, "+PONG");
    }

    /** NATS: the server's {@code INFO} line, then {@code PONG} for a {@code PING} after {@code CONNECT}. */
    static boolean nats() {
        StoreServer s = LocalStack.server(StoreKind.NATS);
        return lineProtocol(s, "CONNECT {\"verbose\":false}\r\nPING\r\n", 2, "PONG");
    }

    /** ClickHouse: {@code GET /ping} answers 200. */
    static boolean clickhouse() {
        StoreServer s = LocalStack.server(StoreKind.CLICKHOUSE);
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + s.hostPort() + "/ping"))
                    .timeout(Duration.ofMillis(TIMEOUT_MS)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kafka: an admin client gets cluster metadata with at least one broker. Caller owns and closes it. */
    static Admin kafkaAdmin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.server(StoreKind.KAFKA).hostPort());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_MS));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_MS));
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "10");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "10");
        return Admin.create(p);
    }

    static boolean kafka(Admin admin) {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private static String resp(String... parts) {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            b.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
        }
        return b.toString();
    }

    /** Sends {@code request} and reads up to {@code lines} lines; true when the last one starts with {@code expect}. */
    private static boolean lineProtocol(StoreServer s, String request, int lines, String expect) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.host(), s.port()), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = null;
            for (int i = 0; i < lines; i++) {
                line = in.readLine();
                if (line == null || line.startsWith("-")) {
                    return false;
                }
            }
            return line.startsWith(expect);
        } catch (IOException e) {
            return false;
        }
    }
}
