package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.SuhoException;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * TLS to PostgreSQL as the SDK configures it: {@code verify-full} by default (the local stack's server certificate,
 * signed by its own CA, for 127.0.0.1 and localhost), a server the client cannot verify refused, and no TLS at all
 * when {@code suho.postgres.tls=false} (the driver's {@code prefer} default is not left to chance).
 */
class PostgresTlsIT {

    /** The local stack's CA ({@code infra/local} writes it when it starts PostgreSQL). */
    private static Path localCa(StoreServer pg) {
        String dir = System.getenv("SUHO_LOCAL_DIR");
        Path root = dir == null || dir.isBlank() ? Path.of(System.getProperty("user.home"), ".suho", "local")
                : Path.of(dir);
        Path ca = root.resolve("postgres").resolve("tls").resolve("ca.crt");
        if (!pg.isLocal()) {
            Assumptions.abort("PostgresTlsIT needs the local stack's TLS certificate; " + pg + " is not the local stack");
        }
        assertThat(ca).as("the local stack's PostgreSQL CA (infra/local/up postgres writes it; restart the store"
                + " once if it predates TLS)").exists();
        return ca;
    }

    private static SuhoClients open(StoreServer pg, String host, Map<String, String> tls) {
        Map<String, String> settings = new HashMap<>(tls);
        settings.put("suho.postgres.hosts", host + ":" + pg.port());
        settings.put("suho.postgres.timeout", "3s");
        return Clients.open(pg, new SimpleMeterRegistry(), settings);
    }

    private static boolean sessionUsesTls(SuhoClients suho) {
        return suho.get(PostgresClient.class).queryOne("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                rs -> rs.getBoolean(1)).orElseThrow();
    }

    @Test
    void verifiesTheServerCertificateAndHostNameByDefault(@RealStore(StoreKind.POSTGRES) StoreServer pg) {
        Path ca = localCa(pg);
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            try (SuhoClients suho = open(pg, host, Map.of("suho.postgres.tls", "true",
                    "suho.postgres.tls.root-cert", ca.toString()))) {
                assertThat(sessionUsesTls(suho)).as(host).isTrue();
            }
        }
    }

    @Test
    void refusesAServerWhoseCertificateItCannotVerify(@RealStore(StoreKind.POSTGRES) StoreServer pg) {
        localCa(pg);
        // no root-cert: the JVM's trust store, which does not know the local CA
        try (SuhoClients suho = open(pg, "127.0.0.1", Map.of("suho.postgres.tls", "true"))) {
            assertThatThrownBy(() -> sessionUsesTls(suho)).isInstanceOf(SuhoException.class);
        }
        // mode require encrypts without checking: it connects (the documented, not recommended, opt-out)
        try (SuhoClients suho = open(pg, "127.0.0.1", Map.of("suho.postgres.tls", "true",
                "suho.postgres.tls.mode", "require"))) {
            assertThat(sessionUsesTls(suho)).isTrue();
        }
    }

    @Test
    void tlsOffMeansNoTlsEvenWhenTheServerOffersIt(@RealStore(StoreKind.POSTGRES) StoreServer pg) {
        localCa(pg);
        try (SuhoClients suho = open(pg, "127.0.0.1", Map.of("suho.postgres.tls", "false"))) {
            assertThat(sessionUsesTls(suho)).isFalse();
        }
    }

    @Test
    void aRootCertificateThatIsNotAFileIsAConfigurationError(@RealStore(StoreKind.POSTGRES) StoreServer pg)
            throws Exception {
        Path missing = Files.createTempDirectory("pg-tls").resolve("nope.crt");
        assertThatThrownBy(() -> open(pg, "127.0.0.1", Map.of("suho.postgres.tls", "true",
                "suho.postgres.tls.root-cert", missing.toString())).get(PostgresClient.class))
                .hasMessageContaining("suho.postgres.tls.root-cert").hasMessageContaining("not a readable file");
    }
}
