package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.suho.test.RealStore;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hub's probes work as the least-privileged users {@code infra/docker-compose.yml} gives them (docs/security.md,
 * "Compose: probe users and health checks"), not only as an admin: a Redis/Dragonfly ACL user allowed {@code PING}
 * and {@code INFO} only (the grants {@code infra/dragonfly/acl-entrypoint.sh} writes) and a PostgreSQL role with
 * {@code LOGIN} and {@code CONNECT} only (the grants of {@code infra/postgres/init}). Each user is created on the
 * local server with a random name and password for the test and dropped afterwards. ClickHouse's probe user lives in
 * a users.d file (18.16 has no SQL user management); {@code infra/check} checks that file.
 */
@ExtendWith(RealStoreExtension.class)
class ProbeUsersIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String randomHex() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void awaitUp(TestHub hub, String id) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> TestHub.json(hub.get("/v1/stores/" + id)).get("status").asText().equals("UP"));
    }

    @Test
    void theRedisProbeRunsAsAPingAndInfoOnlyAclUser(@RealStore(StoreKind.REDIS) StoreServer redis) throws Exception {
        String user = "suho_probe_it_" + randomHex();
        String password = randomHex();
        try (Resp admin = Resp.open(redis)) {
            admin.login(null, redis.password());
            // the rules of infra/dragonfly/acl-entrypoint.sh
            assertThat(admin.call("ACL", "SETUSER", user, "ON", ">" + password, "RESETKEYS", "RESETCHANNELS", "-@ALL",
                    "+PING", "+INFO")).isEqualTo("+OK");
        }
        try {
            try (Resp probe = Resp.open(redis)) {
                probe.login(user, password);
                assertThat(probe.call("PING")).isEqualTo("+PONG");
                assertThat(probe.call("GET", "session:anything")).startsWith("-NOPERM");
                assertThat(probe.call("CONFIG", "GET", "requirepass")).startsWith("-NOPERM");
            }
            Map<String, String> env = TestHub.env();
            env.put("DRAGONFLY_USER", user);
            env.put("DRAGONFLY_PASSWORD", password);
            try (TestHub hub = TestHub.start(env)) {
                awaitUp(hub, "cache");
            }
        } finally {
            try (Resp admin = Resp.open(redis)) {
                admin.login(null, redis.password());
                assertThat(admin.call("ACL", "DELUSER", user)).isEqualTo(":1");
            }
        }
    }

    @Test
    void thePostgresProbeRunsAsALoginAndConnectOnlyRole(@RealStore(StoreKind.POSTGRES) StoreServer pg)
            throws Exception {
        String role = "suho_probe_it_" + randomHex();
        String password = randomHex();
        String url = "jdbc:postgresql://" + pg.hostPort() + "/" + pg.database();
        // role and password are random hex made above (DDL takes no bind parameters); the grants of infra/postgres/init
        // except REVOKE ... FROM PUBLIC, which would change the shared database for everyone
        try (Connection c = DriverManager.getConnection(url, credentials(pg.user(), pg.password()));
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' NOSUPERUSER NOCREATEDB NOCREATEROLE"
                    + " NOINHERIT NOREPLICATION CONNECTION LIMIT 4");
            s.execute("GRANT CONNECT ON DATABASE " + pg.database() + " TO " + role);
        }
        try {
            try (Connection c = DriverManager.getConnection(url, credentials(role, password));
                    Statement s = c.createStatement()) {
                assertThat(c.isValid(2)).isTrue();
                assertThatThrownBy(() -> s.executeQuery("SELECT rolpassword FROM pg_authid").close())
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
                assertThatThrownBy(() -> s.execute("CREATE DATABASE " + role)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
            Map<String, String> env = TestHub.env();
            env.put("POSTGRES_USER", role);
            env.put("POSTGRES_PASSWORD", password);
            try (TestHub hub = TestHub.start(env)) {
                awaitUp(hub, "postgres");
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url, credentials(pg.user(), pg.password()));
                    Statement s = c.createStatement()) {
                s.execute("REVOKE CONNECT ON DATABASE " + pg.database() + " FROM " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    private static Properties credentials(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("sslmode", "disable");
        return p;
    }

    /** A minimal RESP connection: commands as arrays of bulk strings, the first line of each reply. */
    private static final class Resp implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final BufferedReader in;

        private Resp(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        static Resp open(StoreServer redis) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(redis.host(), redis.port()), 2000);
            s.setSoTimeout(5000);
            return new Resp(s);
        }

        void login(String user, String password) throws IOException {
            if (password == null) {
                return;
            }
            String reply = user == null ? call("AUTH", password) : call("AUTH", user, password);
            assertThat(reply).as("AUTH as " + (user == null ? "default" : user)).isEqualTo("+OK");
        }

        String call(String... args) throws IOException {
            StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = in.readLine();
            if (line != null && line.startsWith("$") && !line.equals("$-1")) {
                in.readLine(); // the bulk string's body
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
