package io.suho.bench;

import io.suho.bench.drill.Drill;
import io.suho.bench.drill.DrillTarget;
import io.suho.bench.drill.PipelineDrill;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code --drill STORE [--mode stop|kill|pause] [--down-seconds 15] [--before-seconds 5] [--after-seconds 10]}: an
 * outage drill against the local stack (see {@link Drill} and docs/resilience.md). Targets are registered in
 * {@code META-INF/services/io.suho.bench.drill.DrillTarget}.
 */
final class Drills {
    private Drills() {
    }

    static Map<String, DrillTarget> targets() {
        Map<String, DrillTarget> out = new TreeMap<>();
        for (DrillTarget t : ServiceLoader.load(DrillTarget.class)) {
            out.put(t.name(), t);
        }
        return out;
    }

    static int run(Map<String, String> args) throws Exception {
        String name = args.get("drill");
        if (name.equals("pipeline") || name.equals("orders")) {
            return runPipeline(name, args);
        }
        Map<String, DrillTarget> targets = targets();
        DrillTarget target = targets.get(args.get("drill"));
        if (target == null) {
            System.err.println("unknown drill '" + args.get("drill") + "'; known: " + String.join(", ", targets.keySet())
                    + ", pipeline, orders");
            return 2;
        }
        String mode = args.getOrDefault("mode", "stop");
        if (!mode.matches("stop|kill|pause")) {
            System.err.println("--mode must be stop, kill or pause, not '" + mode + "'");
            return 2;
        }
        Drill.Settings settings = new Drill.Settings(mode,
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("down-seconds", "15"))),
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("before-seconds", "5"))),
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("after-seconds", "10"))),
                Integer.parseInt(args.getOrDefault("threads", "4")),
                Integer.parseInt(args.getOrDefault("rate", "50")));
        try (target) {
            Drill.Outcome outcome = new Drill(target, settings).run();
            System.out.println(outcome.line());
        }
        return 0;
    }

    /**
     * {@code --drill pipeline|orders [--events 100000] [--rate 1000] [--threads 4] [--drain-seconds 300]
     * [--fault-seconds 5] [--faults name,name]}: the end-to-end drills (see {@link PipelineDrill}).
     */
    static int runPipeline(String name, Map<String, String> args) throws Exception {
        PipelineDrill.Settings settings = new PipelineDrill.Settings(
                Integer.parseInt(args.getOrDefault("events", "100000")),
                Integer.parseInt(args.getOrDefault("rate", "1000")),
                Integer.parseInt(args.getOrDefault("threads", "4")),
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("drain-seconds", "300"))),
                Duration.ofSeconds(Long.parseLong(args.getOrDefault("fault-seconds", "5"))),
                args.containsKey("faults") ? Set.of(args.get("faults").split(",")) : Set.of());
        try (PipelineDrill.Hops hops = name.equals("pipeline") ? PipelineDrill.outboxToClickHouse()
                : PipelineDrill.natsToPostgres()) {
            PipelineDrill.Outcome outcome = new PipelineDrill(hops, settings).run();
            System.out.println(outcome.line());
        }
        return 0;
    }
}
