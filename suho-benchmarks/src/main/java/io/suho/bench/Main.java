package io.suho.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * {@code java -jar suho-benchmarks.jar --store NAME [--seconds N] [--warmup N]}: runs the store's suite, SDK and raw
 * driver interleaved, and prints one RESULT line per operation plus a readable table. {@code --jmh [JMH options]}
 * runs {@link CallPipelineBenchmark} ({@link JmhTable}); {@code --drill STORE} runs an outage drill ({@link Drills});
 * {@code --routing} compares PostgreSQL replica routing policies on real servers ({@link ReplicaRouting}).
 * Never part of {@code mvn verify}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals("--jmh")) {
            // The no-I/O cost of the SDK's call pipeline beside two baselines, via JMH (forks JVMs from this jar);
            // everything after --jmh is a JMH option.
            System.exit(JmhTable.run(Arrays.copyOfRange(argv, 1, argv.length)));
        }
        Map<String, String> args = parse(argv);
        if (args.containsKey("hub-load")) {
            System.exit(HubGrpcLoad.run(args)); // the hub process's RSS/CPU with gRPC, 1,000 instances and watchers
        }
        if (args.containsKey("routing")) {
            System.exit(ReplicaRouting.run(args)); // PostgreSQL replica routing: round robin vs latency, and a drain
        }
        if (args.containsKey("help") || (!args.containsKey("store") && !args.containsKey("drill"))) {
            System.out.println("usage: java -jar suho-benchmarks.jar --store NAME [--seconds N] [--warmup N]"
                    + " | --jmh [JMH options, e.g. -t 1,2 -f 2 -wi 4 -i 4 -prof gc]"
                    + " | --drill STORE [--mode stop|kill|pause] [--down-seconds N]"
                    + " | --drill pipeline|orders [--events N] [--rate N]"
                    + " | --routing [--seconds N] [--warmup N] [--delay-ms N] [--threads N]"
                    + " | --hub-load [--instances N] [--watchers N] [--idle-seconds N] [--hub-jar PATH]");
            System.out.println("stores: " + String.join(", ", suites().keySet()));
            System.exit(args.containsKey("help") ? 0 : 2);
        }
        if (args.containsKey("drill")) {
            System.exit(Drills.run(args));
        }
        String store = args.get("store").toLowerCase(Locale.ROOT);
        BenchmarkSuite suite = suites().get(store);
        if (suite == null) {
            System.err.println("unknown store '" + store + "'; known: " + String.join(", ", suites().keySet()));
            System.exit(2);
        }
        BenchContext ctx = new BenchContext(Duration.ofSeconds(Long.parseLong(args.getOrDefault("seconds", "10"))),
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("warmup", "3"))), args);
        List<Harness.Result> results = new ArrayList<>();
        try (suite) {
            for (BenchOperation op : suite.setUp(ctx)) {
                System.out.printf(Locale.ROOT, "running %s/%s (%d thread(s), %ds warm-up + %ds)%n", store, op.name(),
                        op.threads(), ctx.warmup().toSeconds(), ctx.measure().toSeconds());
                Harness.Result r = Harness.run(store, op, ctx);
                System.out.println(r.resultLine());
                results.add(r);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "| %-10s | %-26s | %10s | %10s | %7s | %10s | %10s | %7s | %10s | %10s |%n",
                "store", "operation", "sdk p50 µs", "raw p50 µs", "ratio", "sdk p99 µs", "raw p99 µs", "ratio",
                "sdk ops/s", "raw ops/s");
        System.out.println("|------------|----------------------------|------------|------------|---------|"
                + "------------|------------|---------|------------|------------|");
        for (Harness.Result r : results) {
            double sp50 = r.p(r.sdk(), 50);
            double rp50 = r.p(r.raw(), 50);
            double sp99 = r.p(r.sdk(), 99);
            double rp99 = r.p(r.raw(), 99);
            System.out.printf(Locale.ROOT,
                    "| %-10s | %-26s | %10.1f | %10.1f | %7.3f | %10.1f | %10.1f | %7.3f | %10.0f | %10.0f |%n",
                    r.store(), r.op(), sp50, rp50, rp50 == 0 ? 0 : sp50 / rp50, sp99, rp99, rp99 == 0 ? 0 : sp99 / rp99,
                    r.sdkOpsPerSec(), r.rawOpsPerSec());
        }
    }

    static Map<String, BenchmarkSuite> suites() {
        Map<String, BenchmarkSuite> out = new java.util.TreeMap<>();
        for (BenchmarkSuite s : ServiceLoader.load(BenchmarkSuite.class)) {
            out.put(s.store(), s);
        }
        return out;
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                out.put(key, argv[++i]);
            } else {
                out.put(key, "true");
            }
        }
        return out;
    }
}
