package io.suho.bench;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.StreamObserver;
import io.suho.hub.api.v1.EndpointCatalog;
import io.suho.hub.api.v1.GetEndpointsRequest;
import io.suho.hub.api.v1.HubGrpc;
import io.suho.hub.api.v1.RegisterRequest;
import io.suho.hub.api.v1.WatchEndpointsRequest;
import io.suho.test.LocalStack;
import io.suho.test.StoreKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code --hub-load}: what the gRPC port costs a real hub process (the runnable jar, started with the production JVM
 * flags of docs/operations.md) and how it carries 1,000 instances and 1,000 watchers. Phases, each ending with the
 * hub's RSS ({@code VmRSS}) after a settle pause: the hub without gRPC (HTTP reads served), the same with
 * {@code SUHO_HUB_GRPC_PORT} (HTTP and gRPC reads served), after 1,000 gRPC registrations, after 1,000
 * {@code WatchEndpoints} streams on 1,000 connections; then the hub's CPU over an idle minute with them, and one
 * endpoint change fanned out to all of them (the spread between the first and the last receipt, and the hub's CPU
 * for it). Prints RESULT lines. Ports: HTTP {@code --port} (7291), gRPC {@code --grpc-port} (7292).
 */
final class HubGrpcLoad {
    static final String TOKEN = "bench-token-3b7f1d2c-9e8a7b6c5d4e3f2a1b0c";
    static final List<String> JVM_FLAGS = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC",
            "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=64m", "-Xss512k", "-XX:TieredStopAtLevel=1");

    private HubGrpcLoad() {
    }

    static int run(Map<String, String> args) throws Exception {
        Path jar = Path.of(args.getOrDefault("hub-jar", "suho-hub-server/target/suho-hub-server-0.1.0-SNAPSHOT.jar"));
        if (!Files.isRegularFile(jar)) {
            System.err.println("no hub jar at " + jar + " (build it: mvn -q -B -pl suho-hub-server package -DskipTests,"
                    + " or pass --hub-jar PATH)");
            return 2;
        }
        int port = Integer.parseInt(args.getOrDefault("port", "7291"));
        int grpcPort = Integer.parseInt(args.getOrDefault("grpc-port", "7292"));
        int instances = Integer.parseInt(args.getOrDefault("instances", "1000"));
        int watchers = Integer.parseInt(args.getOrDefault("watchers", "1000"));
        int idleSeconds = Integer.parseInt(args.getOrDefault("idle-seconds", "60"));
        Path dir = Files.createTempDirectory("suho-hub-load");
        Path config = dir.resolve("hub.properties");
        Files.writeString(config, "WEAVIATE_URL=http://127.0.0.1:1\n");

        long rssOff;
        try (HubProcess hub = HubProcess.start(jar, env(port, null), config, dir.resolve("off.log"))) {
            hub.awaitHttp(port);
            httpReads(port, 200);
            rssOff = hub.settledRss();
            result("hub_rss_grpc_off", "rss_kib", rssOff);
        }
        try (HubProcess hub = HubProcess.start(jar, env(port, grpcPort), config, dir.resolve("on.log"))) {
            hub.awaitHttp(port);
            httpReads(port, 200);
            EventLoopGroup loop = new NioEventLoopGroup(2, new DefaultThreadFactory("load-grpc", true));
            List<ManagedChannel> channels = new ArrayList<>();
            try {
                ManagedChannel main = channel(loop, grpcPort);
                channels.add(main);
                for (int i = 0; i < 200; i++) {
                    HubGrpc.newBlockingStub(main).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getEndpoints(GetEndpointsRequest.getDefaultInstance());
                }
                long rssOn = hub.settledRss();
                result("hub_rss_grpc_on", "rss_kib", rssOn);
                result("hub_rss_grpc_cost", "rss_kib", rssOn - rssOff);

                long t0 = System.nanoTime();
                register(main, instances);
                result("hub_grpc_register_" + instances, "ms", (System.nanoTime() - t0) / 1_000_000);
                result("hub_rss_instances_" + instances, "rss_kib", hub.settledRss());

                CountDownLatch first = new CountDownLatch(watchers);
                long[] changeSeen = new long[watchers];
                CountDownLatch changed = new CountDownLatch(watchers);
                long v0 = HubGrpc.newBlockingStub(main).getEndpoints(GetEndpointsRequest.getDefaultInstance())
                        .getVersion();
                t0 = System.nanoTime();
                for (int i = 0; i < watchers; i++) {
                    ManagedChannel c = channel(loop, grpcPort);
                    channels.add(c);
                    int k = i;
                    HubGrpc.newStub(c).withCallCredentials(bearer()).watchEndpoints(
                            WatchEndpointsRequest.getDefaultInstance(), new StreamObserver<>() {
                                @Override
                                public void onNext(EndpointCatalog cat) {
                                    if (cat.getVersion() == v0) {
                                        first.countDown();
                                    } else {
                                        changeSeen[k] = System.nanoTime();
                                        changed.countDown();
                                    }
                                }

                                @Override
                                public void onError(Throwable t) {
                                    System.err.println("watcher " + k + " ended: " + t);
                                }

                                @Override
                                public void onCompleted() {
                                }
                            });
                }
                if (!first.await(60, TimeUnit.SECONDS)) {
                    System.err.println("only " + (watchers - first.getCount()) + " of " + watchers
                            + " watchers got the catalog");
                    return 1;
                }
                result("hub_grpc_watchers_open_" + watchers, "ms", (System.nanoTime() - t0) / 1_000_000);
                long rssWatch = hub.settledRss();
                result("hub_rss_instances_" + instances + "_watchers_" + watchers, "rss_kib", rssWatch);

                long cpu0 = hub.cpuMillis();
                Thread.sleep(idleSeconds * 1000L);
                result("hub_cpu_idle_watchers_" + watchers, "ms_cpu_per_min",
                        (hub.cpuMillis() - cpu0) * 60 / idleSeconds);

                // one endpoint change (the hub re-reads --config every 5 s) fanned out to every watcher
                cpu0 = hub.cpuMillis();
                Files.writeString(config, "WEAVIATE_URL=http://127.0.0.1:2\n");
                if (!changed.await(30, TimeUnit.SECONDS)) {
                    System.err.println("only " + (watchers - changed.getCount()) + " of " + watchers
                            + " watchers got the change");
                    return 1;
                }
                long[] seen = Arrays.stream(changeSeen).sorted().toArray();
                result("hub_grpc_fanout_spread_" + watchers, "us", (seen[seen.length - 1] - seen[0]) / 1000);
                result("hub_grpc_fanout_p50_after_first_" + watchers, "us",
                        (seen[seen.length / 2] - seen[0]) / 1000);
                Thread.sleep(1000);
                result("hub_cpu_fanout_" + watchers, "ms_cpu_incl_config_reread", hub.cpuMillis() - cpu0);
                result("hub_rss_after_fanout", "rss_kib", hub.settledRss());
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    static void result(String op, String unit, long value) {
        System.out.printf(Locale.ROOT, "RESULT store=hub op=%s %s=%d%n", op, unit, value);
    }

    private static Map<String, String> env(int port, Integer grpcPort) {
        Map<String, String> env = new HashMap<>();
        env.put("SUHO_HUB_PORT", Integer.toString(port));
        env.put("SUHO_HUB_HOST", "127.0.0.1");
        env.put("SUHO_HUB_TOKEN", TOKEN);
        env.put("SUHO_HUB_REQUIRED_STORES", "postgres,cache,analytics,nats,kafka");
        // 1,000 watchers from this one address: lift the per-client cap (one address per service in production)
        env.put("SUHO_HUB_MAX_WAITERS_PER_CLIENT", "5000");
        env.put("SUHO_HUB_MAX_CONNECTIONS", "5000");
        put(env, "POSTGRES_PASSWORD", LocalStack.server(StoreKind.POSTGRES).password());
        put(env, "DRAGONFLY_PASSWORD", LocalStack.server(StoreKind.REDIS).password());
        put(env, "CLICKHOUSE_PASSWORD", LocalStack.server(StoreKind.CLICKHOUSE).password());
        if (grpcPort != null) {
            env.put("SUHO_HUB_GRPC_PORT", Integer.toString(grpcPort));
        }
        return env;
    }

    private static void put(Map<String, String> env, String k, String v) {
        if (v != null) {
            env.put(k, v);
        }
    }

    private static void httpReads(int port, int n) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI base = URI.create("http://127.0.0.1:" + port);
        for (int i = 0; i < n; i++) {
            for (String path : List.of("/v1/endpoints", "/v1/health", "/v1/services")) {
                http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    static ManagedChannel channel(EventLoopGroup loop, int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().eventLoopGroup(loop)
                .channelType(NioSocketChannel.class).directExecutor().build();
    }

    static CallCredentials bearer() {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, java.util.concurrent.Executor e, MetadataApplier a) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
                a.apply(m);
            }
        };
    }

    private static void register(ManagedChannel channel, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                done.add(pool.submit(() -> HubGrpc.newBlockingStub(channel).withCallCredentials(bearer())
                        .withDeadlineAfter(10, TimeUnit.SECONDS).register(RegisterRequest.newBuilder()
                                .setService("load-" + (k % 50)).setHost("10.0." + (k / 250) + "." + (k % 250))
                                .setPort(8080).setTtlSeconds(3600).putMeta("zone", "z" + (k % 3)).build())));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The hub jar as a child process, with the production flags; RSS and CPU from /proc. */
    static final class HubProcess implements AutoCloseable {
        private final Process process;

        private HubProcess(Process process) {
            this.process = process;
        }

        static HubProcess start(Path jar, Map<String, String> env, Path config, Path log) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(JVM_FLAGS);
            String extra = System.getProperty("suho.bench.hub-jvm-flags", "");
            if (!extra.isBlank()) {
                cmd.addAll(List.of(extra.trim().split("\\s+"))); // to try other flags against the same phases
            }
            cmd.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("SUHO_HUB_"));
            pb.environment().putAll(env);
            return new HubProcess(pb.start());
        }

        void awaitHttp(int port) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/health/ready"))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the hub exited with " + process.exitValue());
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the hub was not ready within 30 s");
        }

        /** VmRSS in KiB after a 5 s pause (probes keep running, as in production). */
        long settledRss() throws Exception {
            Thread.sleep(5000);
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no VmRSS for pid " + process.pid());
        }

        /** User + system CPU time of the hub process, ms (clock ticks of 10 ms). */
        long cpuMillis() throws Exception {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
