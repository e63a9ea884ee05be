package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A hung PostgreSQL (SIGSTOP) and a crashed one (SIGKILL) under write load from four threads, through one client
 * that is never rebuilt: calls fail with {@code StoreTimeoutException} (outcome unknown) or
 * {@code StoreUnavailableException} (not sent) instead of hanging, the breaker opens and
 * its rejections say so, no acknowledged write is lost, writes of unknown outcome retried with the same id leave
 * exactly one row, and the client serves again once the server does. Outages are kept short (the local stack is
 * shared) and always undone in {@code finally}.
 */
class ServerFaultIT {
    private static final int THREADS = 4;

    @Test
    void hungServerFailsCallsInsteadOfHoldingThemAndRecovers(@RealStore(StoreKind.POSTGRES) StoreServer server)
            throws Exception {
        server.requireLocal("hungServerFailsCalls", "pause PostgreSQL");
        String service = "pg-it-hang-" + UUID.randomUUID().toString().substring(0, 8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = open(server, service, registry)) {
            PostgresClient pg = suho.get(PostgresClient.class);
            try (WriteLoad load = new WriteLoad(pg, THREADS).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acked.size() >= 200);
                // SIGSTOP of the server's process group stops the postmaster, but every PostgreSQL backend runs in a
                // session of its own: freeze the ones serving this client too, so its open connections hang as well.
                List<String> backends = pg.query("SELECT pid FROM pg_stat_activity WHERE application_name = ?",
                        rs -> Integer.toString(rs.getInt(1)), service + " (suho primary)");
                long pausedAt;
                try {
                    LocalStack.pause(StoreKind.POSTGRES);
                    signal("STOP", backends);
                    pausedAt = System.nanoTime();
                    load.markFaultStart();
                    // every writer comes back (socket/pool timeouts), the breaker opens and rejects; about 5 s down
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                            load.threadsThatFailedSinceFault() == THREADS && load.breakerRejections.sum() >= 50
                                    && System.nanoTime() - pausedAt >= TimeUnit.SECONDS.toNanos(5));
                } finally {
                    try {
                        LocalStack.resume(StoreKind.POSTGRES);
                    } finally {
                        signal("CONT", backends);
                    }
                }
                assertRecoversAndLosesNothing(suho, registry, load);
                // statements in flight on the frozen connections timed out: reported as outcome unknown
                assertThat(load.ambiguous).isNotEmpty();
                assertThat(load.unknownOutcomeMessages).anySatisfy(m -> assertThat(m).contains("outcome unknown"));
            }
        }
    }

    @Test
    void crashedServerFailsFastAndTheSameClientRecovers(@RealStore(StoreKind.POSTGRES) StoreServer server)
            throws Exception {
        server.requireLocal("crashedServerFailsFast", "kill PostgreSQL");
        String service = "pg-it-crash-" + UUID.randomUUID().toString().substring(0, 8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SuhoClients suho = open(server, service, registry)) {
            PostgresClient pg = suho.get(PostgresClient.class);
            try (WriteLoad load = new WriteLoad(pg, THREADS).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acked.size() >= 200);
                try {
                    LocalStack.kill(StoreKind.POSTGRES);
                    load.markFaultStart();
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                            load.threadsThatFailedSinceFault() == THREADS && load.breakerRejections.sum() >= 50);
                } finally {
                    LocalStack.up(StoreKind.POSTGRES);
                }
                assertRecoversAndLosesNothing(suho, registry, load);
            }
        }
    }

    private static void assertRecoversAndLosesNothing(SuhoClients suho, SimpleMeterRegistry registry, WriteLoad load)
            throws InterruptedException {
        // the same client serves again: new writes are acknowledged
        int ackedAtRestore = load.acked.size();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> load.acked.size() >= ackedAtRestore + 100);
        assertThat(load.stop(30_000)).as("every writer thread returned from its last call").isTrue();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(load::retryAmbiguous);

        assertThat(load.unexpected).as("failures other than StoreUnavailableException/StoreTimeoutException")
                .isEmpty();
        assertThat(load.unavailable.sum()).isPositive();
        assertThat(load.breakerRejections.sum()).isPositive();
        // every call the open breaker rejected (outcome=rejected) carried breakerOpen()==true, and vice versa
        Timer rejected = registry.find("suho.client.requests").tags("store", "postgres", "operation",
                WriteLoad.OPERATION, "outcome", "rejected").timer();
        assertThat(rejected).isNotNull();
        assertThat(rejected.count()).isEqualTo(load.breakerRejections.sum());

        Map<String, Integer> stored = load.stored();
        List<String> lost = new ArrayList<>();
        for (String id : load.acked) {
            if (!stored.containsKey(id)) {
                lost.add(id);
            }
        }
        assertThat(lost).as("acknowledged writes missing from the table (acked_lost)").isEmpty();
        assertThat(load.ambiguous).as("writes of unknown outcome, retried with the same id").allSatisfy(id ->
                assertThat(stored.get(id)).isEqualTo(1));
        assertThat(stored.values()).as("duplicates").allMatch(n -> n == 1);
        System.out.printf("RESULT fault acked=%d ambiguous=%d breaker_rejections=%d unavailable=%d timeouts=%d%n",
                load.acked.size(), load.ambiguous.size(), load.breakerRejections.sum(), load.unavailable.sum(),
                load.timeouts.sum());

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> suho.health(Store.POSTGRES).status() == HealthStatus.UP);
        assertThat(suho.breakerStates()).containsEntry(Store.POSTGRES, "CLOSED");
    }

    private static SuhoClients open(StoreServer server, String service, SimpleMeterRegistry registry) {
        return server.configure(SuhoClients.builder().serviceName(service))
                .environment(Map.of())
                .meterRegistry(registry)
                .set("suho.postgres.sdk-migrations.enabled", "false")
                .build();
    }

    /** Sends a signal to the given backend processes (the ones serving this test's own connections). */
    private static void signal(String signal, List<String> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        cmd.addAll(pids);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            // a backend may have exited on its own meanwhile; the others still got the signal
            System.out.println("kill -" + signal + " " + pids + ": " + out.trim());
        }
    }
}
