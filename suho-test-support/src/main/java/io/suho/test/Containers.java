package io.suho.test;

import java.time.Duration;
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
                case KAFKA -> g.withExposedPorts(9092);
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
