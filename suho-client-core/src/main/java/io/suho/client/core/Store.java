package io.suho.client.core;

import java.util.Locale;

/**
 * The seven data systems of the platform, named as they appear in config keys ({@code suho.<id>.*}), metric
 * tags ({@code store=<id>}) and the hub's API.
 */
public enum Store {
    POSTGRES("postgres", "suho-client-postgres"),
    CACHE("cache", "suho-client-cache"),
    ANALYTICS("analytics", "suho-client-analytics"),
    VECTOR("vector", "suho-client-vector"),
    GRAPH("graph", "suho-client-graph"),
    NATS("nats", "suho-client-messaging"),
    KAFKA("kafka", "suho-client-messaging");

    private final String id;
    private final String artifactId;

    Store(String id, String artifactId) {
        this.id = id;
        this.artifactId = artifactId;
    }

    /** The lower-case id used in config keys, metric tags and the hub API, e.g. {@code postgres}. */
    public String id() {
        return id;
    }

    /** The Maven artifact ({@code io.suho:<artifactId>}) whose jar provides this store's client. */
    public String artifactId() {
        return artifactId;
    }

    /** The config key prefix of this store, e.g. {@code suho.postgres.}. */
    public String keyPrefix() {
        return "suho." + id + ".";
    }

    /**
     * Parses a store id, case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid ids when {@code id} is not one
     */
    public static Store fromId(String id) {
        if (id != null) {
            String wanted = id.trim().toLowerCase(Locale.ROOT);
            for (Store s : values()) {
                if (s.id.equals(wanted)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown store '" + id + "'; expected one of "
                + "postgres, cache, analytics, vector, graph, nats, kafka");
    }

    @Override
    public String toString() {
        return id;
    }
}
