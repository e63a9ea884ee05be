package io.suho.bench;

import java.time.Duration;
import java.util.Map;

/**
 * What a suite is told about the run.
 *
 * @param measure measuring time per operation
 * @param warmup warm-up time per operation
 * @param args every {@code --key value} given on the command line
 */
public record BenchContext(Duration measure, Duration warmup, Map<String, String> args) {
    public String arg(String key, String def) {
        return args.getOrDefault(key, def);
    }
}
