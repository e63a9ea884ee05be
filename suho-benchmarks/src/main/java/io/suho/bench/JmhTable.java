package io.suho.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link CallPipelineBenchmark} with JMH's own command-line options and prints one table of the results:
 * benchmark, threads, ns/op, B/op (when {@code -prof gc} is given) and the ratio to the Resilience4j baseline of the
 * same run. {@code java -jar suho-benchmarks.jar --jmh -f 2 -wi 4 -i 4 -prof gc -t 2}.
 *
 * <p>Everything after {@code --jmh} is handed to JMH as it is, with one addition: {@code -t 1,2} runs the benchmarks
 * once per thread count (each count is its own JMH run, so each row's ratio compares rows of one run) and prints
 * them in one table. Without a benchmark regex the run is limited to {@link CallPipelineBenchmark}.
 */
final class JmhTable {
    /** The row order of the table: the floor, the SDK, then the hand-written baselines. */
    private static final List<String> ORDER = List.of("raw", "nanoTime", "timerOnly", "sdkOnce", "sdkIdempotent",
            "resilience4j", "resilience4jDecorated", "failsafe");
    private static final String BASELINE = "resilience4j";

    private JmhTable() {
    }

    /** One table row. {@code bytesPerOp} is NaN without {@code -prof gc}. */
    record Row(String benchmark, int threads, double nsPerOp, double error, double bytesPerOp, double ratio) {
    }

    static int run(String[] jmhArgs) throws CommandLineOptionException, RunnerException, IOException {
        List<String[]> runs = perThreadCount(jmhArgs);
        List<Row> rows = new ArrayList<>();
        for (String[] args : runs) {
            CommandLineOptions cmd = new CommandLineOptions(args);
            if (cmd.shouldHelp()) {
                cmd.showHelp();
                return 0;
            }
            OptionsBuilder builder = new OptionsBuilder();
            builder.parent(cmd);
            if (cmd.getIncludes().isEmpty()) {
                builder.include(CallPipelineBenchmark.class.getName() + "\\.");
            }
            Options options = builder.build();
            if (cmd.shouldList()) {
                new Runner(options).list();
                return 0;
            }
            rows.addAll(rows(new Runner(options).run()));
        }
        System.out.println();
        System.out.println("jmh " + String.join(" ", jmhArgs));
        print(rows);
        return 0;
    }

    /** {@code -t 1,2} becomes one argument list per thread count; anything else is one run. */
    static List<String[]> perThreadCount(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-t") && args[i + 1].contains(",")) {
                List<String[]> out = new ArrayList<>();
                for (String count : args[i + 1].split(",")) {
                    String[] copy = args.clone();
                    copy[i + 1] = count.trim();
                    out.add(copy);
                }
                return out;
            }
        }
        List<String[]> one = new ArrayList<>();
        one.add(args);
        return one;
    }

    static List<Row> rows(Collection<RunResult> results) {
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Integer.compare(rank(shortName(a)), rank(shortName(b))));
        double baseline = Double.NaN;
        for (RunResult r : sorted) {
            if (shortName(r).equals(BASELINE)) {
                baseline = r.getPrimaryResult().getScore();
            }
        }
        List<Row> out = new ArrayList<>();
        for (RunResult r : sorted) {
            Result<?> primary = r.getPrimaryResult();
            out.add(new Row(shortName(r), r.getParams().getThreads(), primary.getScore(), primary.getScoreError(),
                    allocatedBytesPerOp(r), primary.getScore() / baseline));
        }
        return out;
    }

    /** {@code gc.alloc.rate.norm} of the GC profiler (older JMH prefixes it with a middle dot). */
    private static double allocatedBytesPerOp(RunResult r) {
        for (String key : r.getSecondaryResults().keySet()) {
            if (key.endsWith("gc.alloc.rate.norm")) {
                return r.getSecondaryResults().get(key).getScore();
            }
        }
        return Double.NaN;
    }

    private static String shortName(RunResult r) {
        String name = r.getParams().getBenchmark();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static int rank(String benchmark) {
        int i = ORDER.indexOf(benchmark);
        return i < 0 ? ORDER.size() : i;
    }

    static void print(List<Row> rows) {
        System.out.printf(Locale.ROOT, "| %-21s | %7s | %14s | %8s | %14s |%n",
                "benchmark", "threads", "ns/op", "B/op", "÷ resilience4j");
        System.out.println("|-----------------------|---------|----------------|----------|----------------|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %-21s | %7d | %14s | %8s | %14s |%n", r.benchmark(), r.threads(),
                    String.format(Locale.ROOT, "%.1f ± %.1f", r.nsPerOp(), r.error()),
                    Double.isNaN(r.bytesPerOp()) ? "-" : String.format(Locale.ROOT, "%.0f", r.bytesPerOp()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", r.ratio()));
        }
    }
}
