package io.suho.bench.drill;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PipelineChild} run as its own JVM from the jar (or classpath) this drill runs from, its output appended to
 * a log file; {@link #kill()} is SIGKILL ({@link Process#destroyForcibly()}), {@link #stop()} SIGTERM.
 */
final class ChildProcess {
    private final List<String> command = new ArrayList<>();
    private final Path log;
    private Process process;

    ChildProcess(Path log, String... args) {
        this.log = log;
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PipelineChild.class.getName());
        command.addAll(List.of(args));
    }

    ChildProcess start() throws Exception {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM (the child closes its work), SIGKILL after 20 s. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    File logFile() {
        return log.toFile();
    }
}
