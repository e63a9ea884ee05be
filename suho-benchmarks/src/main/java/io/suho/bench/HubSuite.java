package io.suho.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.suho.client.core.SuhoClients;
import io.suho.hub.HubConfig;
import io.suho.hub.HubServer;
import io.suho.hub.api.v1.GetEndpointsRequest;
import io.suho.hub.api.v1.HubGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code --store hub}: the hub's two hot requests, {@code GET /v1/endpoints} and {@code PUT
 * /v1/instances/{id}/heartbeat}, against the floor — the same requests answered by a static Jetty handler that
 * writes pre-built bytes (same Jetty version, thread pool and connector settings). Both sides use the same
 * {@code java.net.http} client code (one client per calling thread), so the gap is the hub's routing, auth,
 * validation, registry and metrics. Operations run with 1 caller and with {@code --clients N} (default 8).
 * The hub probes the local stack meanwhile, as in production.
 *
 * <p>The endpoint lookup three ways, in the same run: {@code endpoints_grpc} is the gRPC {@code GetEndpoints} (one
 * HTTP/2 channel per calling thread) beside {@code GET /v1/endpoints} on the same hub, and {@code endpoints_watch} is
 * the SDK's own lookup ({@code suho.hub.transport=grpc}, {@code suho.hub.watch=true}: the catalog kept current by a
 * WatchEndpoints stream, read from the SDK's configuration without a network call) beside the same HTTP GET.
 */
public final class HubSuite implements BenchmarkSuite {
    private static final String TOKEN = "bench-token-3b7f1d2c-9e8a7b6c5d4e3f2a1b0c";
    private static final String HEARTBEAT = "{\"stores\":{\"postgres\":{\"breaker\":\"CLOSED\",\"calls\":120,"
            + "\"errorRate\":0.0},\"cache\":{\"breaker\":\"CLOSED\",\"calls\":900,\"errorRate\":0.001}}}";

    private HubServer hub;
    private Server floor;
    private final ThreadLocal<HttpClient> clients = ThreadLocal.withInitial(() -> HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build());
    private final ThreadLocal<String> instanceIds = new ThreadLocal<>();
    /** The lease secret each thread's instance got at registration; its heartbeats present it. */
    private final ThreadLocal<String> leaseSecrets = new ThreadLocal<>();
    private final java.util.List<ManagedChannel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ThreadLocal<HubGrpc.HubBlockingStub> grpcStubs = new ThreadLocal<>();
    private SuhoClients watching;

    @Override
    public String store() {
        return "hub";
    }

    @Override
    public List<BenchOperation> setUp(BenchContext ctx) throws Exception {
        int n = Integer.parseInt(ctx.arg("clients", "8"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SUHO_HUB_PORT", "0");
        env.put("SUHO_HUB_HOST", "127.0.0.1");
        env.put("SUHO_HUB_TOKEN", TOKEN);
        env.put("SUHO_HUB_GRPC_PORT", "0");
        // the local stack's credentials, as suho-test-support reads them (its generated secret)
        env.putIfAbsent("POSTGRES_PASSWORD", io.suho.test.LocalStack.server(io.suho.test.StoreKind.POSTGRES).password());
        env.putIfAbsent("DRAGONFLY_PASSWORD", io.suho.test.LocalStack.server(io.suho.test.StoreKind.REDIS).password());
        String ch = io.suho.test.LocalStack.server(io.suho.test.StoreKind.CLICKHOUSE).password();
        if (ch != null) {
            env.putIfAbsent("CLICKHOUSE_PASSWORD", ch);
        }
        hub = HubServer.start(HubConfig.from(env));
        URI hubBase = hub.uri();

        HttpResponse<byte[]> sample = client().send(HttpRequest.newBuilder(hubBase.resolve("/v1/endpoints")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        byte[] catalog = sample.body();
        byte[] heartbeatReply = ("{\"instanceId\":\"00000000-0000-0000-0000-000000000000\","
                + "\"leaseExpiresAt\":\"2026-01-01T00:00:30Z\",\"endpointsVersion\":1}").getBytes(StandardCharsets.UTF_8);
        floor = staticServer(catalog, heartbeatReply);
        URI floorBase = URI.create("http://127.0.0.1:" + ((ServerConnector) floor.getConnectors()[0]).getLocalPort());

        BenchOperation.Action hubGet = () -> get(hubBase);
        BenchOperation.Action floorGet = () -> get(floorBase);
        BenchOperation.Action hubBeat = () -> heartbeat(hubBase, instanceId(hubBase));
        BenchOperation.Action floorBeat = () -> heartbeat(floorBase, "00000000-0000-0000-0000-000000000000");
        int grpcPort = hub.grpcPort().orElseThrow();
        BenchOperation.Action grpcGet = () -> grpcStub(grpcPort).getEndpoints(GetEndpointsRequest.getDefaultInstance());
        watching = SuhoClients.builder().serviceName("bench-watch")
                .hub(URI.create("http://127.0.0.1:" + grpcPort)).set("suho.hub.transport", "grpc")
                .set("suho.hub.watch", "true").environment(Map.of())
                .endpointCacheFile(java.nio.file.Files.createTempFile("bench-watch", ".json")).build();
        BenchOperation.Action watchLookup = () -> {
            if (watching.config().get("suho.postgres.hosts").isEmpty()) {
                throw new IllegalStateException("the SDK holds no postgres endpoint");
            }
        };
        return List.of(
                BenchOperation.of("endpoints_get", hubGet, floorGet),
                BenchOperation.of("endpoints_grpc", grpcGet, hubGet),
                new BenchOperation("endpoints_grpc_c" + n, grpcGet, hubGet, n, 1),
                BenchOperation.of("endpoints_watch", watchLookup, hubGet),
                new BenchOperation("endpoints_get_c" + n, hubGet, floorGet, n, 1),
                BenchOperation.of("heartbeat", hubBeat, floorBeat),
                new BenchOperation("heartbeat_c" + n, hubBeat, floorBeat, n, 1));
    }

    /** One channel (one HTTP/2 connection) per calling thread, as one HTTP client per thread on the HTTP side. */
    private HubGrpc.HubBlockingStub grpcStub(int port) {
        HubGrpc.HubBlockingStub stub = grpcStubs.get();
        if (stub == null) {
            ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            channels.add(c);
            stub = HubGrpc.newBlockingStub(c);
            grpcStubs.set(stub);
        }
        return stub.withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    private HttpClient client() {
        return clients.get();
    }

    private void get(URI base) throws Exception {
        HttpResponse<byte[]> r = client().send(HttpRequest.newBuilder(base.resolve("/v1/endpoints"))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/endpoints answered " + r.statusCode());
        }
    }

    private String instanceId(URI base) throws Exception {
        String id = instanceIds.get();
        if (id == null) {
            HttpResponse<String> r = client().send(HttpRequest.newBuilder(base.resolve("/v1/instances"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"bench\",\"host\":\"127.0.0.1\","
                            + "\"port\":0,\"ttlSeconds\":600}")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("register answered " + r.statusCode() + ": " + r.body());
            }
            id = r.body().replaceAll(".*\"instanceId\":\"([^\"]+)\".*", "$1");
            instanceIds.set(id);
            leaseSecrets.set(r.body().replaceAll(".*\"leaseSecret\":\"([^\"]+)\".*", "$1"));
        }
        return id;
    }

    private void heartbeat(URI base, String id) throws Exception {
        HttpResponse<byte[]> r = client().send(HttpRequest.newBuilder(base.resolve("/v1/instances/" + id + "/heartbeat"))
                .header("X-Suho-Lease-Secret", leaseSecrets.get() == null ? "floor" : leaseSecrets.get()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(HEARTBEAT)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("heartbeat answered " + r.statusCode());
        }
    }

    /** The floor: Jetty with the hub's thread pool and connector shape, answering pre-built bytes. */
    private static Server staticServer(byte[] getBody, byte[] putBody) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        Server server = new Server(threads);
        ServerConnector c = new ServerConnector(server, 1, 1);
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                boolean put = request.getMethod().equals("PUT");
                if (put) {
                    Request.asInputStream(request).readAllBytes(); // consume the body as the hub does
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(put ? putBody : getBody), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    @Override
    public void close() throws Exception {
        channels.forEach(ManagedChannel::shutdownNow);
        if (watching != null) {
            watching.close();
        }
        if (floor != null) {
            floor.stop();
        }
        if (hub != null) {
            hub.close();
        }
    }
}
