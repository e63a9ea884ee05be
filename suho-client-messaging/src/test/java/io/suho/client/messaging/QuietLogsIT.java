package io.suho.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.SuhoClients;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Quiet by default, with this module's test binding (slf4j-simple, INFO, to stderr): a normal close of the NATS
 * client is no WARN. (That Kafka's configuration dump stays out of INFO is checked in a fresh JVM by
 * suho-docs-tests' CleanProjectIT: slf4j-simple fixes a logger's level when it is created, and other tests in this
 * JVM create Kafka clients of their own first.)
 */
class QuietLogsIT {

    /** Runs {@code work} with stderr captured (slf4j-simple resolves System.err at each line). */
    private static String stderrOf(Runnable work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text); // still visible in the build log
        return text;
    }

    @Test
    void aNormalNatsCloseIsNotAWarning(@RealStore(StoreKind.NATS) StoreServer nats) {
        String log = stderrOf(() -> {
            SuhoClients suho = nats.configure(SuhoClients.builder().serviceName("quiet-logs-it")).build();
            suho.get(NatsClient.class).publish("it.quiet.close", new byte[] {1});
            suho.close();
            try {
                Thread.sleep(300); // jnats reports CLOSED on its own thread, after close() returned
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThat(log).contains("NATS client for");        // the capture saw the client's own INFO line
        assertThat(log).doesNotContain("WARN io.suho.client.messaging.internal.NatsRuntime - NATS");
    }
}
