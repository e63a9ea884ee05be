package io.suho.test;

import io.suho.client.core.Store;

/**
 * A real server a test can ask for. Each kind names the environment variable that points at an explicit server,
 * the local-stack store that can provide one, and the SDK store it configures.
 */
public enum StoreKind {
    POSTGRES("SUHO_POSTGRES_URL", "postgres", Store.POSTGRES, "postgres:15-alpine"),
    /** A streaming hot standby of {@link #POSTGRES} (local stack port 5433). */
    POSTGRES_REPLICA("SUHO_POSTGRES_REPLICA_URL", "postgres-replica", Store.POSTGRES, null),
    REDIS("SUHO_REDIS_URL", "redis", Store.CACHE, "redis:7-alpine"),
    /** A real DragonflyDB; only from {@code SUHO_DRAGONFLY_URL} or Testcontainers. */
    DRAGONFLY("SUHO_DRAGONFLY_URL", null, Store.CACHE, "docker.dragonflydb.io/dragonflydb/dragonfly:v1.34.2"),
    CLICKHOUSE("SUHO_CLICKHOUSE_URL", "clickhouse", Store.ANALYTICS, "clickhouse/clickhouse-server:25.8"),
    NATS("SUHO_NATS_URL", "nats", Store.NATS, "nats:2.11-alpine"),
    KAFKA("SUHO_KAFKA_BOOTSTRAP", "kafka", Store.KAFKA, "apache/kafka:4.1.0"),
    WEAVIATE("SUHO_WEAVIATE_URL", null, Store.VECTOR, "semitechnologies/weaviate:1.32.4"),
    ARANGO("SUHO_ARANGO_URL", null, Store.GRAPH, "arangodb:3.12.5");

    private final String envVar;
    private final String localName;
    private final Store store;
    private final String image;

    StoreKind(String envVar, String localName, Store store, String image) {
        this.envVar = envVar;
        this.localName = localName;
        this.store = store;
        this.image = image;
    }

    /** The environment variable that names an explicit server for this kind. */
    public String envVar() {
        return envVar;
    }

    /** The store name {@code infra/local/up} takes, or {@code null} when the local stack has none. */
    public String localName() {
        return localName;
    }

    /** The SDK store this server backs. */
    public Store store() {
        return store;
    }

    /** The container image Testcontainers uses, or {@code null}. */
    public String image() {
        return image;
    }
}
