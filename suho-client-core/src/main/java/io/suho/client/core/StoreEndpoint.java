package io.suho.client.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where one store is reached: hosts, database name, TLS flag and non-secret extra properties. This is what the hub
 * hands out and what the last-known-good file keeps; it never carries credentials.
 *
 * @param hosts one or more servers
 * @param database database name, or {@code null} where the store has none
 * @param tls whether to connect with TLS
 * @param properties extra non-secret settings, mapped to {@code suho.<store>.<name>} keys
 */
public record StoreEndpoint(List<HostPort> hosts, String database, boolean tls, Map<String, String> properties) {

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
        }
    }

    public static StoreEndpoint of(List<HostPort> hosts, String database) {
        return new StoreEndpoint(hosts, database, false, Map.of());
    }
}
