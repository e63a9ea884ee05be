package io.suho.client.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where one store is reached: hosts, database name, TLS flag and non-secret extra properties. This is what the hub
 * hands out and what the last-known-good file keeps; it never carries credentials.
 *
 * <p>Whoever can answer for the hub decides these values, so they are limited to what cannot hand a password to
 * someone else or weaken a connection: {@code properties} may only name keys of {@link #ALLOWED_PROPERTIES} (pool
 * sizes, timeouts, retries, breaker thresholds, replica weights ({@code replica.weights}, see {@link HostWeights})
 * — never TLS settings, credentials, the replica list, migrations or namespaces), and a database name is letters, digits, {@code _} and {@code -} only (no way to smuggle a JDBC
 * parameter such as {@code ?sslmode=disable}). Local configuration always wins over the hub's values.
 *
 * @param hosts one or more servers
 * @param database database name, or {@code null} where the store has none
 * @param tls whether to connect with TLS
 * @param properties extra non-secret settings, mapped to {@code suho.<store>.<name>} keys
 */
public record StoreEndpoint(List<HostPort> hosts, @Nullable String database, boolean tls, Map<String, String> properties) {

    /** The only {@code suho.<store>.*} keys (without the prefix) an endpoint may set. */
    public static final Set<String> ALLOWED_PROPERTIES = Set.of("timeout", "connect-timeout", "statement-timeout",
            "pool.max-size", "pool.min-idle", "pool.max-lifetime", "pool.max-connections", "replica.pool.max-size",
            "retry.max-retries", "retry.min-backoff", "retry.max-backoff", "breaker.failure-threshold",
            "breaker.window", "breaker.delay", "breaker.success-threshold", "tx.max-retries", "tx.max-backoff",
            "reconnect.max-delay", "timeseries.partitions-ahead", "replica.weights");

    /** The property carrying per-replica weights in {@link HostWeights}' text form (0 drains a replica). */
    public static final String REPLICA_WEIGHTS = "replica.weights";

    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,62}");

    public StoreEndpoint {
        Objects.requireNonNull(hosts, "hosts");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("an endpoint needs at least one host");
        }
        hosts = List.copyOf(hosts);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        for (String name : properties.keySet()) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("password") || lower.contains("secret") || lower.contains("token")) {
                throw new IllegalArgumentException("endpoint property '" + name + "' looks like a credential; "
                        + "credentials never travel with endpoints");
            }
            if (!ALLOWED_PROPERTIES.contains(name)) {
                throw new IllegalArgumentException("endpoint property '" + name + "' is not one an endpoint may set"
                        + " (TLS, credentials, replicas, migrations and the like are local configuration only);"
                        + " allowed: " + new java.util.TreeSet<>(ALLOWED_PROPERTIES));
            }
        }
        String weights = properties.get(REPLICA_WEIGHTS);
        if (weights != null) {
            try {
                HostWeights.parse(weights, 1); // the port a bare host gets does not matter for the check
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("endpoint property '" + REPLICA_WEIGHTS + "' is invalid: "
                        + e.getMessage(), e);
            }
        }
        if (database != null && !DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("database name '" + abbreviate(database) + "' is invalid: expected"
                    + " 1-63 letters, digits, '_' or '-'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    public static StoreEndpoint of(List<HostPort> hosts, String database) {
        return new StoreEndpoint(hosts, database, false, Map.of());
    }
}
