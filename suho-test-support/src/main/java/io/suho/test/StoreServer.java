package io.suho.test;

import io.suho.client.core.Store;
import io.suho.client.core.SuhoClients;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A real server resolved for a test: where it is, how to log in, and where it came from. {@link #configure}
 * points a {@link SuhoClients.Builder} at it.
 *
 * @param kind what was asked for
 * @param host host name or IP
 * @param port main port (PostgreSQL 5432, Redis 6379, ClickHouse HTTP 8123, NATS 4222, Kafka 9092, …)
 * @param user user name or {@code null}
 * @param password password or {@code null}; never printed by {@link #toString()}
 * @param database database name or {@code null}
 * @param source how it was found: {@code env}, {@code testcontainers} or {@code local}
 */
public record StoreServer(StoreKind kind, String host, int port, @Nullable String user, @Nullable String password,
        @Nullable String database,
        String source) {

    public StoreServer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
    }

    /** {@code host:port}. */
    public String hostPort() {
        return host + ":" + port;
    }

    /** A URL in the store's usual scheme (without credentials). */
    public String url() {
        return switch (kind) {
            case POSTGRES, POSTGRES_REPLICA -> "jdbc:postgresql://" + hostPort() + "/" + (database == null ? "" : database);
            case REDIS, DRAGONFLY -> "redis://" + hostPort();
            case CLICKHOUSE, WEAVIATE, ARANGO -> "http://" + hostPort();
            case NATS -> "nats://" + hostPort();
            case KAFKA -> hostPort();
        };
    }

    /** The SDK store this server backs. */
    public Store store() {
        return kind.store();
    }

    /** Sets this server's endpoint, database and credentials on the builder. */
    public SuhoClients.Builder configure(SuhoClients.Builder builder) {
        builder.endpoint(kind.store(), hostPort());
        if (database != null) {
            builder.database(kind.store(), database);
        }
        if (user != null || password != null) {
            builder.credentials(kind.store(), user, password);
        }
        return builder;
    }

    /** Whether this is the local no-Docker stack (so {@link LocalStack} can stop and start it). */
    public boolean isLocal() {
        return "local".equals(source);
    }

    /**
     * For fault tests that stop, pause or kill the server: continues when this is the local stack, otherwise says so
     * on stderr and skips the test — or fails it when this kind is {@linkplain RequiredStores required}.
     *
     * @param testName the test, for the message
     * @param action what the test would do to the server, e.g. "stop PostgreSQL"
     */
    public StoreServer requireLocal(String testName, String action) {
        if (!isLocal()) {
            RequiredStores.unavailable(kind, testName + ": needs the local stack to " + action + ", but " + this
                    + " is not the local stack (unset " + kind.envVar() + " to use infra/local)");
        }
        return this;
    }

    @Override
    public String toString() {
        return kind + "@" + hostPort() + (database == null ? "" : "/" + database) + " (" + source + ")";
    }
}
