package io.suho.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.suho.client.core.SuhoClients;
import io.suho.client.postgres.PostgresClient;
import io.suho.hub.HubConfig;
import io.suho.hub.HubServer;
import io.suho.test.LatencyProxy;
import io.suho.test.LocalStack;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code --routing [--seconds 20] [--warmup 5] [--delay-ms 20] [--threads 8]}: PostgreSQL reads through
 * {@code reading()} against two replicas — the local stack's streaming replica directly ("fast") and the same replica
 * behind a {@link LatencyProxy} that adds {@code delay-ms} to every answer ("slow") — with round robin, then with
 * latency routing, in one run. Each read asks {@code inet_client_port()}, so it knows which path served it (the
 * proxy's upstream ports); prints per replica the share of reads, p50 and p99, and overall p50/p99 and reads/s.
 *
 * <p>Then the drain through a real hub: an in-process hub publishes the catalog, the SDK watches it, and
 * {@code POSTGRES_REPLICA_WEIGHTS=<fast>=0} is applied with {@link HubServer#reconfigure} mid-run; prints how long
 * until the SDK applied the weight and how many reads started on the drained replica afterwards (expected 0). Needs
 * the local stack's postgres and postgres-replica ({@code infra/local/up postgres-replica}).
 */
final class ReplicaRouting {
    private static final String TOKEN = "bench-routing-token-5d1f0c9a7e3b2468ac";

    private ReplicaRouting() {
    }

    /** Reads of one phase, split by the path that served them. */
    private static final class Tally {
        final Histogram fast = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        final Histogram slow = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        long errors;

        synchronized void add(Tally t) {
            fast.add(t.fast);
            slow.add(t.slow);
            errors += t.errors;
        }
    }

    static int run(Map<String, String> args) throws Exception {
        Duration measure = Duration.ofSeconds(Long.parseLong(args.getOrDefault("seconds", "20")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(args.getOrDefault("warmup", "5")));
        Duration delay = Duration.ofMillis(Long.parseLong(args.getOrDefault("delay-ms", "20")));
        int threads = Integer.parseInt(args.getOrDefault("threads", "8"));
        StoreServer primary = require(StoreKind.POSTGRES);
        StoreServer replica = require(StoreKind.POSTGRES_REPLICA);
        List<String> lines = new ArrayList<>();
        try (LatencyProxy slow = LatencyProxy.start(replica.host(), replica.port(), delay)) {
            for (String policy : List.of("round-robin", "latency")) {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                try (SuhoClients suho = primary.configure(SuhoClients.builder().serviceName("bench-routing"))
                        .environment(Map.of()).meterRegistry(registry)
                        .set("suho.postgres.replicas", replica.hostPort() + "," + slow.hostPort())
                        .set("suho.postgres.replica.routing", policy)
                        .set("suho.postgres.replica.pool.max-size", Integer.toString(threads))
                        .set("suho.postgres.pool.max-size", "2").build()) {
                    PostgresClient reads = suho.get(PostgresClient.class).reading();
                    read(reads, slow, threads, warmup, null);
                    Tally t = new Tally();
                    long started = System.nanoTime();
                    read(reads, slow, threads, measure, t);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    String line = line(policy, delay, threads, t, seconds);
                    System.out.println(line);
                    lines.add(line);
                }
            }
            String drain = drainThroughHub(primary, replica, slow, threads);
            System.out.println(drain);
            lines.add(drain);
        }
        System.out.println();
        lines.forEach(System.out::println);
        return 0;
    }

    private static StoreServer require(StoreKind kind) {
        StoreResolver.Resolution r = StoreResolver.resolve(kind);
        if (!r.available()) {
            throw new IllegalStateException("no " + kind + " server: " + r.reason()
                    + " (start it with infra/local/up postgres-replica)");
        }
        return r.server();
    }

    /** Closed-loop readers for {@code length}; each read is added to {@code into} (unless null: warm-up). */
    private static void read(PostgresClient reads, LatencyProxy slow, int threads, Duration length, Tally into)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread w = new Thread(() -> {
                Tally mine = new Tally();
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        int port = reads.queryOne("SELECT inet_client_port()", rs -> rs.getInt(1)).orElseThrow();
                        long micros = Math.max(1, (System.nanoTime() - start) / 1000);
                        (slow.isUpstreamPort(port) ? mine.slow : mine.fast).recordValue(Math.min(micros,
                                mine.fast.getHighestTrackableValue()));
                    } catch (RuntimeException e) {
                        mine.errors++;
                    }
                }
                if (into != null) {
                    into.add(mine);
                }
            }, "routing-reader-" + i);
            workers.add(w);
            w.start();
        }
        Thread.sleep(length.toMillis());
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
    }

    private static String line(String policy, Duration delay, int threads, Tally t, double seconds) {
        Histogram all = t.fast.copy();
        all.add(t.slow);
        long n = all.getTotalCount();
        return String.format(Locale.ROOT, "RESULT routing policy=%s slow_delay_ms=%d threads=%d reads=%d"
                        + " reads_per_s=%.0f errors=%d fast_share=%.3f p50_us=%d p99_us=%d fast_p50_us=%d"
                        + " fast_p99_us=%d slow_p50_us=%d slow_p99_us=%d",
                policy, delay.toMillis(), threads, n, n / seconds, t.errors,
                n == 0 ? 0 : (double) t.fast.getTotalCount() / n, all.getValueAtPercentile(50),
                all.getValueAtPercentile(99), t.fast.getValueAtPercentile(50), t.fast.getValueAtPercentile(99),
                t.slow.getValueAtPercentile(50), t.slow.getValueAtPercentile(99));
    }

    /**
     * Latency routing with the SDK watching an in-process hub; mid-run the hub's POSTGRES_REPLICA_WEIGHTS drains the
     * fast replica. Reads after the SDK applied it must all go to the slow one.
     */
    private static String drainThroughHub(StoreServer primary, StoreServer replica, LatencyProxy slow, int threads)
            throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SUHO_HUB_PORT", "0");
        env.put("SUHO_HUB_HOST", "127.0.0.1");
        env.put("SUHO_HUB_TOKEN", TOKEN);
        env.put("POSTGRES_HOST", primary.host());
        env.put("POSTGRES_PORT", Integer.toString(primary.port()));
        env.putIfAbsent("POSTGRES_PASSWORD", LocalStack.server(StoreKind.POSTGRES).password());
        env.putIfAbsent("DRAGONFLY_PASSWORD", LocalStack.server(StoreKind.REDIS).password());
        String ch = LocalStack.server(StoreKind.CLICKHOUSE).password();
        if (ch != null) {
            env.putIfAbsent("CLICKHOUSE_PASSWORD", ch);
        }
        env.remove("POSTGRES_REPLICA_WEIGHTS");
        Path cache = Files.createTempFile("suho-routing-endpoints", ".json");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HubServer hub = HubServer.start(HubConfig.from(env));
        try (SuhoClients suho = primary.configure(SuhoClients.builder().serviceName("bench-routing-drain"))
                .environment(Map.of()).meterRegistry(registry)
                .hub(hub.uri()).hubToken(TOKEN).set("suho.hub.allow-insecure", "true")
                .set("suho.hub.watch", "true").endpointCacheFile(cache)
                .set("suho.postgres.replicas", replica.hostPort() + "," + slow.hostPort())
                .set("suho.postgres.replica.pool.max-size", Integer.toString(threads))
                .set("suho.postgres.pool.max-size", "2").build()) {
            PostgresClient reads = suho.get(PostgresClient.class).reading();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong drainedAt = new AtomicLong(Long.MAX_VALUE);
            AtomicLong fastAfter = new AtomicLong();
            AtomicLong slowAfter = new AtomicLong();
            AtomicLong fastBefore = new AtomicLong();
            AtomicLong total = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread w = new Thread(() -> {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        try {
                            int port = reads.queryOne("SELECT inet_client_port()", rs -> rs.getInt(1)).orElseThrow();
                            boolean onSlow = slow.isUpstreamPort(port);
                            total.incrementAndGet();
                            if (start > drainedAt.get()) {
                                (onSlow ? slowAfter : fastAfter).incrementAndGet();
                            } else if (!onSlow) {
                                fastBefore.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            // counted by the SDK's meters; not part of this line
                        }
                    }
                }, "drain-reader-" + i);
                workers.add(w);
                w.start();
            }
            Thread.sleep(5_000);
            long fastBeforeDrain = fastBefore.get();
            long totalBeforeDrain = total.get();
            env.put("POSTGRES_REPLICA_WEIGHTS", replica.hostPort() + "=0");
            long t0 = System.nanoTime();
            hub.reconfigure(HubConfig.from(env));
            String host = replica.hostPort();
            while (registry.get("suho.postgres.replica.weight").tag("host", host).gauge().value() != 0) {
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IllegalStateException("the SDK did not apply the drain within 30 s");
                }
                Thread.sleep(1);
            }
            long applied = System.nanoTime();
            drainedAt.set(applied);
            Thread.sleep(5_000);
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
            return String.format(Locale.ROOT, "RESULT routing drain_via_hub fast_share_before=%.3f"
                            + " hub_change_to_sdk_applied_ms=%.1f reads_after=%d fast_reads_started_after_drain=%d",
                    totalBeforeDrain == 0 ? 0 : (double) fastBeforeDrain / totalBeforeDrain, (applied - t0) / 1e6,
                    fastAfter.get() + slowAfter.get(), fastAfter.get());
        } finally {
            hub.close();
            Files.deleteIfExists(cache);
        }
    }
}
