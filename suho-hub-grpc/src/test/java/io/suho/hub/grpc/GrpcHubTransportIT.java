package io.suho.hub.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.hub.HubLease;
import io.suho.client.core.hub.HubRefusedException;
import io.suho.client.core.hub.HubRegistration;
import io.suho.client.core.hub.HubTransport;
import io.suho.client.core.hub.HubTransportSettings;
import io.suho.hub.HubConfig;
import io.suho.hub.HubServer;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK with {@code suho.hub.transport=grpc} against a real hub (in-process, probing the real local stores) on its
 * gRPC port: endpoints at build, registration, heartbeats, deregistration at close, endpoint changes pushed by
 * WatchEndpoints; the transport's refusals and failures as the SDK's failover expects them.
 */
class GrpcHubTransportIT {
    static final String TOKEN = "grpc-transport-token-5d2a9c7e1f3b4a6d8c0e";

    @TempDir
    static Path dir;

    private static Map<String, String> env;
    private static HubServer hub;
    private static URI grpcUri;

    @BeforeAll
    static void start() throws Exception {
        env = hubEnv();
        hub = HubServer.start(HubConfig.from(env));
        grpcUri = URI.create("http://127.0.0.1:" + hub.grpcPort().orElseThrow());
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    /** The hub's environment: the real local stores the test support resolves, the gRPC port on, fast probes. */
    static Map<String, String> hubEnv() {
        Map<String, String> e = new HashMap<>();
        e.put("SUHO_HUB_PORT", "0");
        e.put("SUHO_HUB_GRPC_PORT", "0");
        e.put("SUHO_HUB_TOKEN", TOKEN);
        e.put("SUHO_HUB_PROBE_INTERVAL", "200ms");
        e.put("SUHO_HUB_REQUIRED_STORES", "postgres");
        StoreServer pg = server(StoreKind.POSTGRES);
        if (pg != null) {
            e.put("POSTGRES_HOST", pg.host());
            e.put("POSTGRES_PORT", Integer.toString(pg.port()));
            if (pg.user() != null) {
                e.put("POSTGRES_USER", pg.user());
            }
            if (pg.password() != null) {
                e.put("POSTGRES_PASSWORD", pg.password());
            }
        }
        return e;
    }

    private static StoreServer server(StoreKind kind) {
        StoreResolver.Resolution r = StoreResolver.resolve(kind);
        if (!r.available()) {
            System.err.println("note: no real " + kind + " (" + r.reason() + "); the hub reports it DOWN");
            return null;
        }
        return r.server();
    }

    private static SuhoClients.Builder sdk(String name) {
        return SuhoClients.builder().serviceName(name).hub(grpcUri).hubToken(TOKEN)
                .set("suho.hub.transport", "grpc").set("suho.hub.allow-insecure", "true")
                .set("suho.hub.heartbeat-interval", "200ms")
                .endpointCacheFile(dir.resolve(name + "-" + System.nanoTime() + ".json")).environment(Map.of())
                .hubTimeout(Duration.ofSeconds(3));
    }

    private static HubTransport transport(String token) {
        return new GrpcHubTransportProvider().open(new HubTransportSettings(grpcUri,
                token == null ? null : Secret.of(token), null, null, null, null, null, Duration.ofSeconds(2),
                SuhoConfig.create(Map.of(), new Properties(), Map.of(), List.of())));
    }

    @Test
    void theProviderIsFoundByServiceLoaderUnderTheNameGrpc() {
        assertThat(ServiceLoader.load(io.suho.client.core.hub.HubTransportProvider.class).stream()
                .map(p -> p.get().name())).contains("grpc", "http");
    }

    @Test
    void theSdkGetsEndpointsRegistersHeartbeatsAndDeregistersOverGrpc() throws Exception {
        int before = hub.instances();
        String id;
        // a 1 s lease renewed every 200 ms: only heartbeats keep the instance registered
        try (SuhoClients suho = sdk("grpc-sdk").set("suho.hub.lease-ttl", "1s").build()) {
            assertThat(suho.config().get("suho.postgres.database")).hasValue("suho_trading");
            assertThat(suho.config().get("suho.postgres.hosts")).isPresent();
            id = suho.instanceId();
            assertThat(id).isNotNull();
            assertThat(hub.instances()).isEqualTo(before + 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(hub.instances())
                            .as("still registered: the heartbeats renew its 1 s lease").isEqualTo(before + 1));
            assertThat(suho.instanceId()).as("the same registration, never re-registered").isEqualTo(id);
        }
        assertThat(hub.instances()).as("deregistered at close").isEqualTo(before);
    }

    @Test
    void anSdkWatchingOverGrpcSeesAnEndpointChangeWithoutPolling() throws Exception {
        try (SuhoClients suho = sdk("grpc-watch").set("suho.hub.watch", "true").build()) {
            assertThat(suho.config().get("suho.vector.hosts")).isEmpty();
            Map<String, String> changed = new HashMap<>(env);
            changed.put("WEAVIATE_URL", "http://127.0.0.1:1");
            long t0 = System.nanoTime();
            hub.reconfigure(HubConfig.from(changed));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).untilAsserted(() ->
                    assertThat(suho.config().get("suho.vector.hosts")).hasValue("127.0.0.1:1"));
            System.out.printf("SDK over gRPC watch: endpoint change applied %.1f ms after publish%n",
                    (System.nanoTime() - t0) / 1e6);
        } finally {
            hub.reconfigure(HubConfig.from(env));
        }
    }

    @Test
    void theTransportMapsRefusalsAndLeasesAsTheSdkExpects() throws Exception {
        try (HubTransport t = transport(TOKEN)) {
            EndpointCatalog c = t.endpoints(Duration.ofSeconds(2));
            assertThat(c.version()).isEqualTo(hub.endpointsVersion());
            assertThat(c.stores()).containsKey(Store.POSTGRES);

            HubLease lease = t.register(new HubRegistration("grpc-raw", "10.0.0.9", 9000, 30, Map.of("zone", "a")),
                    Duration.ofSeconds(2));
            assertThat(lease.secret()).isNotNull();
            assertThat(t.heartbeat(lease, Heartbeat.leaseOnly(), Duration.ofSeconds(2))).isTrue();
            assertThat(t.heartbeat(new HubLease(lease.instanceId(), Secret.of("wrong")), Heartbeat.leaseOnly(),
                    Duration.ofSeconds(2))).as("a refused secret: register again").isFalse();
            t.deregister(lease, Duration.ofSeconds(2));
            t.deregister(lease, Duration.ofSeconds(2)); // unknown now: not an error
            assertThat(t.heartbeat(lease, Heartbeat.leaseOnly(), Duration.ofSeconds(2))).isFalse();

            // no change within the wait: empty, and the stream stays open for the next wait
            assertThat(t.awaitChange(c.version(), Duration.ofMillis(300))).isEmpty();
            Optional<EndpointCatalog> other = t.awaitChange(c.version() - 1, Duration.ofSeconds(2));
            assertThat(other).map(EndpointCatalog::version).hasValue(c.version());
        }
        try (HubTransport wrong = transport("not-the-token-0123456789abcdefghijkl")) {
            assertThatThrownBy(() -> wrong.register(new HubRegistration("grpc-raw", "h", 1, 30, Map.of()),
                    Duration.ofSeconds(2))).isInstanceOfSatisfying(HubRefusedException.class,
                            e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> wrong.register(new HubRegistration("bad name!", "h", 1, 30, Map.of()),
                    Duration.ofSeconds(2))).isInstanceOf(HubRefusedException.class);
        }
    }

    @Test
    void anUnreachableHubIsAFailureToFailOverOnNotARefusal() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (HubTransport t = new GrpcHubTransportProvider().open(new HubTransportSettings(
                URI.create("http://127.0.0.1:" + closed), null, null, null, null, null, null, Duration.ofSeconds(1),
                SuhoConfig.create(Map.of(), new Properties(), Map.of(), List.of())))) {
            assertThatThrownBy(() -> t.endpoints(Duration.ofSeconds(2))).isInstanceOf(IOException.class)
                    .isNotInstanceOf(HubRefusedException.class).hasMessageContaining("UNAVAILABLE");
            assertThatThrownBy(() -> t.awaitChange(1, Duration.ofSeconds(2))).isInstanceOf(IOException.class)
                    .isNotInstanceOf(HubRefusedException.class);
        }
    }

    @Test
    void aUriWithoutAPortOrWithAnotherSchemeIsRefusedAtOpen() {
        for (String bad : List.of("http://127.0.0.1", "grpc://127.0.0.1:7001")) {
            assertThatThrownBy(() -> new GrpcHubTransportProvider().open(new HubTransportSettings(URI.create(bad),
                    null, null, null, null, null, null, Duration.ofSeconds(1),
                    SuhoConfig.create(Map.of(), new Properties(), Map.of(), List.of()))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SUHO_HUB_GRPC_PORT");
        }
    }
}
