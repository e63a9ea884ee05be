package io.suho.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Message;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoClients;
import io.suho.test.SideServer;
import io.suho.test.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NATS client over real TLS: a nats-server of this test's own on port 14480 (the port this suite claims; the
 * shared stack's NATS is not touched) with a {@code tls} block — certificate from a throw-away CA, TLS required of
 * every client — and JetStream. With {@code suho.nats.tls.ca-file} the SDK verifies the server and request/reply and a
 * JetStream publish work; without the CA it never connects and its calls fail as not sent. Skipped, with the reason
 * printed, when nats-server or openssl is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsTlsIT {
    private static final int PORT = 14480;

    private Path dir;
    private TlsFiles tls;
    private SideServer nats;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        tls = TlsFiles.createOrSkip(Files.createDirectories(dir.resolve("tls")));
        Path conf = dir.resolve("nats-tls.conf");
        Files.writeString(conf, "listen: 127.0.0.1:" + PORT + "\n"
                + "jetstream { store_dir: \"" + dir.resolve("js") + "\", max_memory_store: 16MB, max_file_store: 64MB }\n"
                + "tls {\n  cert_file: \"" + tls.serverCert() + "\"\n  key_file: \"" + tls.serverKey() + "\"\n"
                + "  timeout: 2\n}\n");
        nats = SideServer.start("nats-tls", List.of("nats-server", "-c", conf.toString()), dir, PORT,
                Duration.ofSeconds(10), Pattern.compile("(?i)unknown field \"?tls|tls.*not supported"));
    }

    @AfterAll
    void stop() {
        if (nats != null) {
            nats.close();
        }
    }

    private SuhoClients clients(Map<String, String> extra) {
        SuhoClients.Builder b = SuhoClients.builder().serviceName("nats-tls-it")
                .environment(Map.of()).systemProperties(new Properties())
                .endpointCacheFile(dir.resolve(UUID.randomUUID() + ".json"))
                .meterRegistry(new SimpleMeterRegistry())
                .endpoint(Store.NATS, "localhost:" + PORT)
                .set("suho.nats.tls", "true")
                .set("suho.nats.timeout", "2s");
        extra.forEach(b::set);
        return b.build();
    }

    @Test
    void worksOverTlsWithTheConfiguredCa() throws Exception {
        try (SuhoClients suho = clients(Map.of("suho.nats.tls.ca-file", tls.caCert().toString()))) {
            NatsClient client = suho.get(NatsClient.class);
            String subject = "tls.echo";
            try (NatsClient.Subscription sub = client.subscribe(subject, null,
                    m -> client.connection().publish(m.getReplyTo(), m.getData()))) {
                client.connection().flush(Duration.ofSeconds(2));
                Message reply = client.request(subject, "over tls".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("over tls");
            }
            assertThat(client.connection().getServerInfo().isTLSRequired()).isTrue();
            client.ensureStream(StreamSpec.of("TLS_IT", "tls.orders.>").withMaxAge(Duration.ofMinutes(5)));
            JsAck ack = client.jsPublish("tls.orders.created",
                    io.suho.events.Event.builder("order.created").source("nats-tls-it").text("o-1", "text/plain")
                            .build());
            assertThat(ack.stream()).isEqualTo("TLS_IT");
            StoreHealth health = suho.health(Store.NATS);
            assertThat(health.status()).as(String.valueOf(health)).isEqualTo(HealthStatus.UP);
        }
    }

    @Test
    void refusesTheServerWithoutTheCa() {
        try (SuhoClients suho = clients(Map.of())) {
            NatsClient client = suho.get(NatsClient.class);
            // never connected: a JetStream publish checks the connection first and is refused as not sent
            assertThatThrownBy(() -> client.jsPublish("tls.orders.created", io.suho.events.Event
                    .builder("order.created").source("nats-tls-it").text("o-2", "text/plain").build()))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("not sent");
            StoreHealth health = suho.health(Store.NATS);
            assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(String.valueOf(health)).as("jnats' last error names the certificate problem")
                    .containsIgnoringCase("certification path");
        }
    }
}
