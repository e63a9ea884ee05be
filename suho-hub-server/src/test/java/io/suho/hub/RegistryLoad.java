package io.suho.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A load tool for running hubs (not a test): registrations per second, heartbeats per second and the fan-out time
 * of a change across hubs, over real HTTP, closed loop. Used for the multi-hub figures in docs/operations.md:
 *
 * <pre>
 * java -cp suho-hub-server/target/test-classes:suho-hub-server/target/suho-hub-server-0.1.0-SNAPSHOT.jar \
 *     io.suho.hub.RegistryLoad --hubs http://127.0.0.1:7191,http://127.0.0.1:7192 --mode register \
 *     --threads 16 --seconds 10 --token "$SUHO_HUB_TOKEN"
 * </pre>
 *
 * Modes: {@code register} (POST /v1/instances, spread over the hubs), {@code heartbeat} (first registers
 * {@code --instances}, then PUT heartbeats with each one's lease secret, each thread on one hub), {@code fanout}
 * ({@code --rounds} registrations on the first hub, each timed until every hub lists it), {@code drop-bucket}
 * (deletes the NATS KV bucket {@code --bucket} on {@code --nats} after a run).
 */
public final class RegistryLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEARTBEAT = "{\"stores\":{\"postgres\":{\"breaker\":\"CLOSED\",\"calls\":120,"
            + "\"errorRate\":0.0}}}";

    private final List<URI> hubs;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    private RegistryLoad(List<URI> hubs, String token) {
        this.hubs = hubs;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<URI> hubs = Arrays.stream(a.getOrDefault("hubs", "http://127.0.0.1:7000").split(","))
                .map(String::trim).map(URI::create).toList();
        RegistryLoad load = new RegistryLoad(hubs, a.getOrDefault("token", System.getenv("SUHO_HUB_TOKEN")));
        int threads = Integer.parseInt(a.getOrDefault("threads", "16"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "10"));
        switch (a.getOrDefault("mode", "register")) {
            case "register" -> load.register(threads, seconds);
            case "heartbeat" -> load.heartbeat(threads, seconds, Integer.parseInt(a.getOrDefault("instances", "1000")));
            case "fanout" -> load.fanout(Integer.parseInt(a.getOrDefault("rounds", "50")));
            case "drop-bucket" -> dropBucket(a.getOrDefault("nats", "nats://127.0.0.1:4222"), a.get("bucket"));
            default -> throw new IllegalArgumentException("--mode register|heartbeat|fanout|drop-bucket");
        }
    }

    private static void dropBucket(String nats, String bucket) throws Exception {
        try (io.nats.client.Connection nc = io.nats.client.Nats.connect(nats)) {
            nc.keyValueManagement().delete(bucket);
            System.out.println("deleted NATS KV bucket " + bucket);
        }
    }

    private String[] registerOn(URI hub, String service) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(hub.resolve("/v1/instances"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"service\":\"" + service + "\",\"host\":\"10.1.2.3\",\"port\":8080,\"ttlSeconds\":300}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST /v1/instances on " + hub + ": HTTP " + r.statusCode() + " "
                    + r.body());
        }
        JsonNode n = JSON.readTree(r.body());
        return new String[] {n.get("instanceId").asText(), n.get("leaseSecret").asText()};
    }

    private boolean heartbeatOn(URI hub, String[] lease) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(hub.resolve("/v1/instances/" + lease[0]
                + "/heartbeat")).timeout(Duration.ofSeconds(10)).header("X-Suho-Lease-Secret", lease[1])
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(HEARTBEAT))
                .build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }

    @FunctionalInterface
    private interface Op {
        boolean run(int thread) throws Exception;
    }

    /** Runs {@code op} on {@code threads} threads for {@code seconds}; prints ops/s and latency percentiles. */
    private void closedLoop(String what, int threads, int seconds, Op op) throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long[][] micros = new long[threads][];
        int[] counts = new int[threads];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            micros[t] = new long[1 << 16];
            Thread th = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    boolean good;
                    try {
                        good = op.run(id);
                    } catch (Exception e) {
                        good = false;
                    }
                    if (good) {
                        ok.increment();
                        if (counts[id] < micros[id].length) {
                            micros[id][counts[id]++] = (System.nanoTime() - t0) / 1000;
                        }
                    } else {
                        failed.increment();
                    }
                }
            });
            ts.add(th);
        }
        long t0 = System.nanoTime();
        ts.forEach(Thread::start);
        for (Thread th : ts) {
            th.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long[] all = new long[Arrays.stream(counts).sum()];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(micros[t], 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all);
        System.out.printf("%s: %d hub(s), %d threads, %.1f s: %.0f/s ok, %d failed; latency p50 %.2f ms, p99 %.2f ms%n",
                what, hubs.size(), threads, secs, ok.sum() / secs, failed.sum(), pct(all, 0.50) / 1000.0,
                pct(all, 0.99) / 1000.0);
    }

    private static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    private void register(int threads, int seconds) throws Exception {
        String service = "load-" + System.currentTimeMillis();
        closedLoop("registrations", threads, seconds, t -> {
            registerOn(hubs.get(t % hubs.size()), service);
            return true;
        });
    }

    private void heartbeat(int threads, int seconds, int instances) throws Exception {
        String service = "hb-" + System.currentTimeMillis();
        List<String[]> leases = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            leases.add(registerOn(hubs.get(i % hubs.size()), service));
        }
        closedLoop("heartbeats", threads, seconds, t -> heartbeatOn(hubs.get(t % hubs.size()),
                leases.get(ThreadLocalRandom.current().nextInt(leases.size()))));
    }

    /** Registers on the first hub and times, per hub, until GET /v1/instances/{id} finds it. */
    private void fanout(int rounds) throws Exception {
        long[] allHubs = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            String[] lease = registerOn(hubs.get(0), "fanout");
            long t0 = System.nanoTime();
            AtomicLong slowest = new AtomicLong();
            List<Thread> watchers = new ArrayList<>();
            for (URI hub : hubs) {
                Thread w = new Thread(() -> {
                    try {
                        while (http.send(HttpRequest.newBuilder(hub.resolve("/v1/instances/" + lease[0]))
                                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() != 200) {
                            Thread.onSpinWait();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                });
                watchers.add(w);
                w.start();
            }
            for (Thread w : watchers) {
                w.join();
            }
            allHubs[r] = slowest.get() / 1000;
            Thread.sleep(20);
        }
        Arrays.sort(allHubs);
        System.out.printf("fan-out: %d hubs, %d rounds: after the registering hub answered, every hub lists the"
                + " instance after p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", hubs.size(), rounds,
                pct(allHubs, 0.5) / 1000.0, pct(allHubs, 0.99) / 1000.0, allHubs[rounds - 1] / 1000.0);
    }
}
