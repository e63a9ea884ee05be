package io.suho.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.jspecify.annotations.Nullable;

/**
 * A server process a test starts for itself on a port of its own — a TLS-only redis-server or nats-server next to
 * the shared local stack, never one of the stack's — and stops again. {@link #start} waits until the port accepts
 * connections; a binary that is not installed, or whose output matches {@code unsupported} (a build without TLS), skips
 * the calling test with the reason printed; any other early exit fails with the server's log. Not thread-safe.
 */
public final class SideServer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private SideServer(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} in {@code dir} and waits up to {@code timeout} until 127.0.0.1:{@code port} accepts a
     * connection.
     *
     * @param unsupported output that means "this build cannot do what the test needs" (skip, not fail); or null
     * @throws IllegalStateException when the port is taken already, or the server exits or does not listen in time
     */
    public static SideServer start(String name, List<String> command, Path dir, int port, Duration timeout,
            @Nullable Pattern unsupported) throws IOException, InterruptedException {
        if (accepts(port)) {
            throw new IllegalStateException(name + ": 127.0.0.1:" + port + " is already taken (a leftover side"
                    + " server?); stop it first");
        }
        Path log = dir.resolve(name + ".log");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            String reason = name + ": " + command.get(0) + " is not installed here (" + e.getMessage() + ")";
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
            throw e; // not reached
        }
        SideServer server = new SideServer(name, p, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepts(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String out = server.log();
                server.close();
                if (unsupported != null && unsupported.matcher(out).find()) {
                    String reason = name + ": this " + command.get(0) + " cannot serve the test: " + out.strip();
                    System.err.println("SKIPPED: " + reason);
                    Assumptions.abort(reason);
                }
                throw new IllegalStateException(name + " did not listen on 127.0.0.1:" + port + " within " + timeout
                        + (p.isAlive() ? "" : " (exited " + p.exitValue() + ")") + "; its output:\n" + out);
            }
            Thread.sleep(20);
        }
        return server;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the server printed so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
