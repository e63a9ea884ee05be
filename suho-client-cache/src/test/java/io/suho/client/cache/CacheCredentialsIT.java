package io.suho.client.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTH comes from config, and the password never shows in exceptions, health or logs. */
class CacheCredentialsIT {

    @Test
    void wrongPasswordFailsWithoutRevealingIt(@RealStore(StoreKind.REDIS) StoreServer server, @TempDir Path tmp) {
        Assumptions.assumeTrue(server.password() != null, "server has no password to get wrong");
        String wrong = "wrong-secret-" + Long.toHexString(System.nanoTime());
        StoreServer badServer = new StoreServer(server.kind(), server.host(), server.port(), server.user(), wrong,
                server.database(), server.source());
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        String seen;
        try {
            System.setErr(capture);
            System.setOut(capture);
            try (SuhoClients suho = CacheTestSupport.clients(badServer, new SimpleMeterRegistry(), tmp,
                    b -> b.eagerStart(true))) {
                CacheClient cache = suho.get(CacheClient.class);
                assertThatThrownBy(() -> cache.get("k", String.class))
                        .isInstanceOf(StoreUnavailableException.class)
                        .satisfies(e -> assertThat(chain(e)).doesNotContain(wrong));
                StoreHealth h = suho.health(Store.CACHE);
                assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
                assertThat(String.valueOf(h.error()) + h.detail()).doesNotContain(wrong);
            }
            try (SuhoClients good = CacheTestSupport.clients(server, new SimpleMeterRegistry(), tmp, b -> { })) {
                good.get(CacheClient.class).get("k-" + System.nanoTime(), String.class);
            }
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
            seen = captured.toString(StandardCharsets.UTF_8);
            originalErr.print(seen);
        }
        assertThat(seen).doesNotContain(wrong).doesNotContain(server.password());
    }

    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
