package io.suho.client.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.test.LocalStack;
import io.suho.test.RealStore;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Started by root, the local stack runs none of its servers as root: PostgreSQL as the {@code postgres} OS user,
 * Redis, NATS, ClickHouse and Kafka as the stack's unprivileged system user ({@code suho}, no login shell), none of
 * them with a capability left. Each store's directory belongs to its server's user and is closed to everyone else,
 * and root's stack lives outside root's home (nothing there was opened for the servers). The process checked is the
 * one that listens on the store's port, found through the store's pid file — the file
 * {@code infra/local/kill|pause|resume} signal — so a wrong pid file fails here too. Skipped (with the reason) when
 * the tests do not run as root: the servers then run as the caller, which is not a privilege.
 */
class LocalStackUsersIT {

    private static void requireLocalStackStartedByRoot(StoreServer s) throws IOException {
        if (!s.isLocal()) {
            Assumptions.abort("LocalStackUsersIT checks the local stack; " + s + " is not it");
        }
        long uid = uid(Path.of("/proc/self/status"));
        if (uid != 0) {
            Assumptions.abort("LocalStackUsersIT: the tests run as uid " + uid + ", not root; infra/local then runs"
                    + " every server as that user, so there is no root to drop");
        }
    }

    @Test
    void everyStoreServerRunsAsAnUnprivilegedUserAndOwnsAClosedDirectory(
            @RealStore(StoreKind.POSTGRES) StoreServer pg, @RealStore(StoreKind.REDIS) StoreServer redis,
            @RealStore(StoreKind.NATS) StoreServer nats, @RealStore(StoreKind.CLICKHOUSE) StoreServer ch,
            @RealStore(StoreKind.KAFKA) StoreServer kafka) throws IOException {
        requireLocalStackStartedByRoot(pg);
        Path stack = LocalStack.stackDir();
        long pgUid = checkServer("postgres", stack.resolve("postgres/data/postmaster.pid"), pg.port(), false);
        assertThat(userName(pgUid)).as("PostgreSQL's OS user").isEqualTo("postgres");
        Set<Long> others = new HashSet<>();
        others.add(checkServer("redis", stack.resolve("redis/redis.pid"), redis.port(), true));
        others.add(checkServer("nats", stack.resolve("nats/nats.pid"), nats.port(), true));
        others.add(checkServer("clickhouse", stack.resolve("clickhouse/clickhouse.pid"), ch.port(), true));
        others.add(checkServer("kafka", stack.resolve("kafka/kafka.pid"), kafka.port(), true));
        assertThat(others).as("Redis, NATS, ClickHouse and Kafka run as one system user").hasSize(1);
        long suho = others.iterator().next();
        assertThat(suho).as("the stack user is not PostgreSQL's").isNotEqualTo(pgUid);
        String[] entry = passwdEntry(suho);
        assertThat(entry[6]).as("login shell of the stack user " + entry[0]).matches(".*/(nologin|false)");
        for (String store : List.of("postgres", "redis", "nats", "clickhouse", "kafka")) {
            Path dir = stack.resolve(store);
            assertThat(((Number) Files.getAttribute(dir, "unix:uid")).longValue()).as("owner of " + dir)
                    .isEqualTo(store.equals("postgres") ? pgUid : suho);
            assertThat(Files.getPosixFilePermissions(dir)).as("permissions of " + dir)
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
        }
        assertThat(Files.getPosixFilePermissions(stack.toRealPath())).as("the stack directory " + stack.toRealPath()
                + " can be crossed, not listed, by others").doesNotContain(PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.GROUP_WRITE);
        if (System.getenv("SUHO_LOCAL_DIR") == null || System.getenv("SUHO_LOCAL_DIR").isBlank()) {
            Path home = Path.of(System.getProperty("user.home")).toRealPath();
            assertThat(stack.toRealPath().startsWith(home)).as("root's stack " + stack.toRealPath()
                    + " lives outside root's home " + home + ", which stays closed to the servers' users").isFalse();
        }
    }

    /**
     * The server in {@code pidFile} is alive, holds the listening socket of {@code port} and runs as a user other than
     * root (real, effective, saved and file-system uid) without any capability; started through {@code setpriv},
     * also without the right to gain privileges ({@code NoNewPrivs}). Returns that uid.
     */
    private static long checkServer(String store, Path pidFile, int port, boolean noNewPrivs) throws IOException {
        assertThat(pidFile).as(store + "'s pid file").isRegularFile();
        String pid = Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim();
        Path proc = Path.of("/proc", pid);
        assertThat(proc.resolve("status")).as(store + ": pid " + pid + " from " + pidFile + " is alive").exists();
        Set<String> listening = listeningSocketInodes(port);
        assertThat(listening).as("a socket listening on port " + port).isNotEmpty();
        assertThat(socketInodes(proc)).as(store + ": pid " + pid + " (from " + pidFile + ") listens on port " + port)
                .containsAnyElementsOf(listening);
        long[] uids = uids(proc.resolve("status"));
        for (long uid : uids) {
            assertThat(uid).as(store + " (pid " + pid + ") runs as uid " + uid).isNotZero();
        }
        assertThat(uids).as(store + " (pid " + pid + "): real, effective, saved and file-system uid agree")
                .containsOnly(uids[0]);
        assertThat(statusField(proc.resolve("status"), "CapEff:")).as(store + " (pid " + pid + ") effective capabilities")
                .matches("0+");
        assertThat(statusField(proc.resolve("status"), "CapPrm:")).as(store + " (pid " + pid + ") permitted capabilities")
                .matches("0+");
        if (noNewPrivs) {
            assertThat(statusField(proc.resolve("status"), "NoNewPrivs:")).as(store + " (pid " + pid + ") NoNewPrivs")
                    .isEqualTo("1");
        }
        return uids[0];
    }

    /** Inodes of the TCP sockets (IPv4 and IPv6) in LISTEN state on {@code port}. */
    private static Set<String> listeningSocketInodes(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f.length > 9 && f[1].endsWith(":" + hexPort) && f[3].equals("0A")) {
                    inodes.add(f[9]);
                }
            }
        }
        return inodes;
    }

    /** Inodes of the sockets the process has open. */
    private static Set<String> socketInodes(Path proc) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        return inodes;
    }

    private static long[] uids(Path status) throws IOException {
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                long[] uids = new long[f.length];
                for (int i = 0; i < f.length; i++) {
                    uids[i] = Long.parseLong(f[i]);
                }
                return uids;
            }
        }
        throw new IllegalStateException("no Uid line in " + status);
    }

    private static String statusField(Path status, String field) throws IOException {
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith(field)) {
                return line.substring(field.length()).trim();
            }
        }
        throw new IllegalStateException("no " + field + " line in " + status);
    }

    private static long uid(Path status) throws IOException {
        return uids(status)[0];
    }

    private static String[] passwdEntry(long uid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[2].equals(Long.toString(uid))) {
                return f;
            }
        }
        throw new AssertionError("uid " + uid + " has no /etc/passwd entry");
    }

    private static String userName(long uid) throws IOException {
        return passwdEntry(uid)[0];
    }
}
