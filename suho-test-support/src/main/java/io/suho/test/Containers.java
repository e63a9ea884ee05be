package io.suho.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts servers with Testcontainers when a Docker engine answers. Containers live for the JVM (Ryuk removes them).
 * Testcontainers is an optional dependency: without it on the classpath this path is simply not taken.
 */
final class Containers {
    private static final Map<StoreKind, GenericContainer<?>> RUNNING = new ConcurrentHashMap<>();
    private static final String CONTAINER_PASSWORD = "suho-test";

    private Containers() {
    }

    /** Null when the Docker engine answers; only called once Testcontainers is known to be on the classpath. */
    static String dockerUnavailableReason() {
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? null : "Docker engine does not answer";
        } catch (RuntimeException e) {
            return "Docker engine does not answer: " + e.getMessage();
        }
    }

    /**
     * A single-node KRaft broker whose advertised listener is the address clients reach from the host. The image's
     * default advertises {@code localhost:9092} inside the container, which is not the mapped port, so clients
     * bootstrap and then fail; the host port is therefore chosen first and bound fixed. Setting any
     * {@code KAFKA_*} variable replaces the image's defaults, hence the full set.
     */
    private static void kafka(GenericContainer<?> g) {
        int hostPort = freePort();
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        g.setPortBindings(List.of(hostPort + ":9092"));
        g.withExposedPorts(9092)
                .withEnv("KAFKA_NODE_ID", "1")
                .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
                .withEnv("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093")
                .withEnv("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + host + ":" + hostPort)
                .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                .withEnv("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT")
                .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*\\n", 1));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the Kafka container", e);
        }
    }

    @SuppressWarnings("resource")
    static StoreServer start(StoreKind kind) {
        GenericContainer<?> c = RUNNING.computeIfAbsent(kind, k -> {
            GenericContainer<?> g = new GenericContainer<>(DockerImageName.parse(k.image()))
                    .withStartupTimeout(Duration.ofMinutes(3));
            switch (k) {
                case POSTGRES -> g.withEnv("POSTGRES_PASSWORD", CONTAINER_PASSWORD).withEnv("POSTGRES_DB", "suho_trading")
                        .withExposedPorts(5432).waitingFor(Wait.forLogMessage(".*ready to accept connections.*\\n", 2));
                case REDIS -> g.withCommand("redis-server", "--requirepass", CONTAINER_PASSWORD).withExposedPorts(6379);
                case DRAGONFLY -> g.withCommand("--requirepass", CONTAINER_PASSWORD).withExposedPorts(6379);
                case CLICKHOUSE -> g.withEnv("CLICKHOUSE_DB", "suho_analytics").withEnv("CLICKHOUSE_USER", "default")
                        .withEnv("CLICKHOUSE_PASSWORD", CONTAINER_PASSWORD).withExposedPorts(8123)
                        .waitingFor(Wait.forHttp("/ping").forPort(8123));
                case NATS -> g.withCommand("-js", "-m", "8222").withExposedPorts(4222, 8222);
                case KAFKA -> kafka(g);
                case WEAVIATE -> g.withEnv("AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED", "true")
                        .withEnv("PERSISTENCE_DATA_PATH", "/var/lib/weaviate").withEnv("DEFAULT_VECTORIZER_MODULE", "none")
                        .withExposedPorts(8080, 50051).waitingFor(Wait.forHttp("/v1/.well-known/ready").forPort(8080));
                case ARANGO -> g.withEnv("ARANGO_ROOT_PASSWORD", CONTAINER_PASSWORD).withExposedPorts(8529)
                        .waitingFor(Wait.forHttp("/_api/version").forPort(8529).forStatusCodeMatching(s -> s < 500));
                default -> throw new IllegalArgumentException("no container recipe for " + k);
            }
            g.start();
            return g;
        });
        int port = c.getMappedPort(c.getExposedPorts().get(0));
        String host = c.getHost();
        return switch (kind) {
            case POSTGRES -> new StoreServer(kind, host, port, "postgres", CONTAINER_PASSWORD, "suho_trading",
                    "testcontainers");
            case REDIS, DRAGONFLY -> new StoreServer(kind, host, port, null, CONTAINER_PASSWORD, null, "testcontainers");
            case CLICKHOUSE -> new StoreServer(kind, host, port, "default", CONTAINER_PASSWORD, "suho_analytics",
                    "testcontainers");
            case ARANGO -> new StoreServer(kind, host, port, "root", CONTAINER_PASSWORD, null, "testcontainers");
            default -> new StoreServer(kind, host, port, null, null, null, "testcontainers");
        };
    }
}
