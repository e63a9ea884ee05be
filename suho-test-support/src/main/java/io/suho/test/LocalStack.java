package io.suho.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The no-Docker local stack ({@code infra/local/}) as tests see it: where each store listens, whether it answers,
 * and the scripts that start, stop, kill, pause and resume it — used by fault tests to take a real server away.
 * Script output goes to the test's stdout. Ports follow the scripts' {@code SUHO_LOCAL_*} variables.
 */
public final class LocalStack {
    /**
     * Local-stack credentials: the stack's generated secret ({@code <SUHO_LOCAL_DIR>/secret}, written by
     * {@code infra/local}), overridable with the same variables the scripts read. A stack older than the secret
     * file had {@code suho-local} for PostgreSQL and Redis and no ClickHouse password.
     */
    static final String LOCAL_SECRET = stackSecret();
    static final String LOCAL_PG_PASSWORD = env("SUHO_LOCAL_PG_PASSWORD", LOCAL_SECRET == null ? "suho-local"
            : LOCAL_SECRET);
    static final String LOCAL_REDIS_PASSWORD = env("SUHO_LOCAL_REDIS_PASSWORD", LOCAL_SECRET == null ? "suho-local"
            : LOCAL_SECRET);
    static final String LOCAL_CH_PASSWORD = env("SUHO_LOCAL_CH_PASSWORD", LOCAL_SECRET);

    /** The local stack's directory: {@code SUHO_LOCAL_DIR}, else {@code ~/.suho/local} (as the scripts decide). */
    public static Path stackDir() {
        String dir = System.getenv("SUHO_LOCAL_DIR");
        return dir == null || dir.isBlank() ? Path.of(System.getProperty("user.home"), ".suho", "local")
                : Path.of(dir);
    }

    private static String stackSecret() {
        try {
            String s = Files.readString(stackDir().resolve("secret"), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        }
    }

    private LocalStack() {
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    private static int port(String var, int def) {
        return Integer.parseInt(env(var, Integer.toString(def)));
    }

    /** The server the local stack runs for a kind, or {@code null} when it has none. */
    public static StoreServer server(StoreKind kind) {
        return switch (kind) {
            case POSTGRES -> new StoreServer(kind, "127.0.0.1", port("SUHO_LOCAL_PG_PORT", 5432), "postgres",
                    LOCAL_PG_PASSWORD, "suho_trading", "local");
            case POSTGRES_REPLICA -> new StoreServer(kind, "127.0.0.1", port("SUHO_LOCAL_PG_REPLICA_PORT", 5433),
                    "postgres", LOCAL_PG_PASSWORD, "suho_trading", "local");
            case REDIS -> new StoreServer(kind, "127.0.0.1", port("SUHO_LOCAL_REDIS_PORT", 6379), null,
                    LOCAL_REDIS_PASSWORD, null, "local");
            case CLICKHOUSE -> new StoreServer(kind, "127.0.0.1", port("SUHO_LOCAL_CH_HTTP_PORT", 8123), "default",
                    LOCAL_CH_PASSWORD, "suho_analytics", "local");
            case NATS -> new StoreServer(kind, "127.0.0.1", port("SUHO_LOCAL_NATS_PORT", 4222), null, null, null,
                    "local");
            case KAFKA -> new StoreServer(kind, "127.0.0.1", port("SUHO_LOCAL_KAFKA_PORT", 9092), null, null, null,
                    "local");
            default -> null;
        };
    }

    /** True when something accepts TCP connections on the kind's local port. */
    public static boolean reachable(StoreKind kind) {
        StoreServer s = server(kind);
        return s != null && reachable(s.host(), s.port(), Duration.ofMillis(500));
    }

    static boolean reachable(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code infra/local} directory of this checkout (searched upwards from the working directory). */
    public static Path scriptsDir() {
        String explicit = System.getenv("SUHO_INFRA_LOCAL_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("infra").resolve("local");
            if (Files.isExecutable(candidate.resolve("up"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    /** {@code infra/local/up STORE}: installs and starts it, waits until ready. */
    public static void up(StoreKind kind) {
        run("up", kind, Duration.ofMinutes(10));
    }

    /** {@code infra/local/down STORE}: graceful stop, data kept. */
    public static void down(StoreKind kind) {
        run("down", kind, Duration.ofMinutes(2));
    }

    /** {@code infra/local/kill STORE}: SIGKILL. */
    public static void kill(StoreKind kind) {
        run("kill", kind, Duration.ofMinutes(1));
    }

    /** {@code infra/local/pause STORE}: SIGSTOP, the hung-server case. */
    public static void pause(StoreKind kind) {
        run("pause", kind, Duration.ofMinutes(1));
    }

    /** {@code infra/local/resume STORE}: SIGCONT. */
    public static void resume(StoreKind kind) {
        run("resume", kind, Duration.ofMinutes(1));
    }

    /** Runs any {@code infra/local} script with arguments, failing with its output when it exits non-zero. */
    public static String run(String script, List<String> args, Duration timeout) {
        Path dir = scriptsDir();
        if (dir == null) {
            throw new IllegalStateException("infra/local not found above " + System.getProperty("user.dir")
                    + "; set SUHO_INFRA_LOCAL_DIR");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(dir.resolve(script).toString());
        cmd.addAll(args);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            Path log = Files.createTempFile("suho-local-" + script, ".log");
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (!done) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + timeout + ":\n"
                        + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        }
    }

    private static void run(String script, StoreKind kind, Duration timeout) {
        if (kind.localName() == null) {
            throw new IllegalArgumentException("the local stack has no " + kind);
        }
        String out = run(script, List.of(kind.localName()), timeout);
        System.out.print(out);
    }
}
