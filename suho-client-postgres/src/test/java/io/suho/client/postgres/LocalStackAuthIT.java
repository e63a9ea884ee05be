package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The local stack is not open to every local user: PostgreSQL over TCP wants the stack's password (SCRAM), its
 * socket directory is private, ClickHouse's {@code default} user wants the password too, and the secret file is the
 * owner's only.
 */
class LocalStackAuthIT {

    private static StoreServer local(StoreServer s) {
        if (!s.isLocal()) {
            Assumptions.abort("LocalStackAuthIT checks the local stack; " + s + " is not it");
        }
        return s;
    }

    @Test
    void postgresOverTcpRefusesALoginWithoutThePassword(@RealStore(StoreKind.POSTGRES) StoreServer pg)
            throws Exception {
        local(pg);
        String url = "jdbc:postgresql://" + pg.hostPort() + "/" + pg.database();
        Properties none = new Properties();
        none.setProperty("user", "postgres");
        none.setProperty("sslmode", "disable");
        assertThatThrownBy(() -> DriverManager.getConnection(url, none).close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("28P01", "08004"));
        Properties wrong = new Properties();
        wrong.putAll(none);
        wrong.setProperty("password", "suho-local");
        assertThatThrownBy(() -> DriverManager.getConnection(url, wrong).close())
                .as("the old public default password").isInstanceOf(SQLException.class);
        Properties right = new Properties();
        right.putAll(none);
        right.setProperty("password", pg.password());
        try (Connection c = DriverManager.getConnection(url, right)) {
            assertThat(c.isValid(2)).isTrue();
        }
    }

    @Test
    void theSocketDirectoryAndTheSecretAreTheOwnersOnly(@RealStore(StoreKind.POSTGRES) StoreServer pg)
            throws Exception {
        local(pg);
        Path socketDir = LocalStack.stackDir().resolve("pg-socket");
        assertThat(socketDir).isDirectory();
        assertThat(Files.getPosixFilePermissions(socketDir)).doesNotContain(PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE,
                PosixFilePermission.OTHERS_WRITE);
        assertThat(Files.getPosixFilePermissions(LocalStack.stackDir().resolve("secret")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void clickHouseDefaultUserWantsItsPassword(@RealStore(StoreKind.CLICKHOUSE) StoreServer ch) throws Exception {
        local(ch);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI select = URI.create("http://" + ch.hostPort() + "/?query=SELECT%201");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(select).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isNotEqualTo(200);
        assertThat(anonymous.body()).containsIgnoringCase("password");
        String basic = Base64.getEncoder().encodeToString(("default:" + ch.password())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> withPassword = http.send(HttpRequest.newBuilder(select).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withPassword.statusCode()).isEqualTo(200);
        assertThat(withPassword.body().trim()).isEqualTo("1");
    }
}
