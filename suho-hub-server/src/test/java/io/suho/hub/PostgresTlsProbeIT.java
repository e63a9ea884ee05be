package io.suho.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The hub's PostgreSQL probe follows the SDK's TLS rule: with {@code POSTGRES_TLS=true} it verifies the server's
 * certificate and host name ({@code verify-full}) against {@code POSTGRES_SSLROOTCERT}, and a server it cannot
 * verify is DOWN. Against the local stack, which serves TLS with its own CA.
 */
class PostgresTlsProbeIT {

    private static JsonNode postgres(TestHub hub) throws Exception {
        return TestHub.json(hub.get("/v1/stores/postgres"));
    }

    @Test
    void verifiesTheServerCertificateAndRefusesOneItCannotVerify(@RealStore(StoreKind.POSTGRES) StoreServer pg)
            throws Exception {
        if (!pg.isLocal()) {
            Assumptions.abort("needs the local stack's PostgreSQL TLS certificate; " + pg + " is not the local stack");
        }
        Path ca = LocalStack.stackDir().resolve("postgres").resolve("tls").resolve("ca.crt");
        assertThat(ca).as("infra/local writes the CA when it starts PostgreSQL").exists();
        Map<String, String> env = TestHub.env();
        env.put("POSTGRES_TLS", "true");
        env.put("POSTGRES_SSLROOTCERT", ca.toString());
        try (TestHub hub = TestHub.start(env)) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> postgres(hub).path("status").asText().equals("UP"));
        }
        env.remove("POSTGRES_SSLROOTCERT"); // the JVM trust store does not know the local CA
        try (TestHub hub = TestHub.start(env)) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> postgres(hub).path("status").asText().equals("DOWN"));
            assertThat(postgres(hub).path("lastError").asText().toLowerCase()).containsAnyOf("certif", "pkix", "ssl");
        }
    }
}
