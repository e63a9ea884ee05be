package io.suho.client.core.internal;

import io.suho.client.core.ConfigSource;
import io.suho.client.core.ConfigValue;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the seed deployment's environment names, which split a store's address over several variables or give
 * it as a URL ({@code POSTGRES_HOST}+{@code POSTGRES_PORT}, {@code NATS_URL=nats://h:4222}), onto the SDK's
 * {@code suho.<store>.hosts} and {@code .tls} keys. Simple one-to-one names are plain key aliases instead.
 */
public final class SeedEnvironment {
    private SeedEnvironment() {
    }

    private record HostPortVars(Store store, String hostVar, String portVar) {
    }

    private record UrlVar(Store store, String var) {
    }

    private static final List<HostPortVars> HOST_PORT = List.of(
            new HostPortVars(Store.POSTGRES, "POSTGRES_HOST", "POSTGRES_PORT"),
            new HostPortVars(Store.CACHE, "DRAGONFLY_HOST", "DRAGONFLY_PORT"),
            new HostPortVars(Store.ANALYTICS, "CLICKHOUSE_HOST", "CLICKHOUSE_HTTP_PORT"));

    private static final List<UrlVar> URLS = List.of(
            new UrlVar(Store.VECTOR, "WEAVIATE_URL"),
            new UrlVar(Store.GRAPH, "ARANGO_URL"),
            new UrlVar(Store.NATS, "NATS_URL"),
            new UrlVar(Store.KAFKA, "KAFKA_BROKERS"));

    /** The seed variable(s) that set a {@code .hosts} key, for error messages; null when none. */
    public static String seedHostsName(String key) {
        for (HostPortVars v : HOST_PORT) {
            if (StoreKeys.hosts(v.store()).equals(key)) {
                return v.hostVar() + " (+ " + v.portVar() + ")";
            }
        }
        for (UrlVar v : URLS) {
            if (StoreKeys.hosts(v.store()).equals(key)) {
                return v.var();
            }
        }
        return null;
    }

    /** Derives {@code suho.<store>.hosts} / {@code .tls} values from the seed names present in {@code env}. */
    public static Map<String, ConfigValue> derive(Map<String, String> env) {
        Map<String, ConfigValue> out = new HashMap<>();
        for (HostPortVars v : HOST_PORT) {
            String host = env.get(v.hostVar());
            if (host == null || host.isBlank()) {
                continue;
            }
            String port = env.get(v.portVar());
            String value = host.contains(":") || host.contains(",") || port == null || port.isBlank()
                    ? host.trim()
                    : host.trim() + ":" + port.trim();
            String origin = port == null ? v.hostVar() : v.hostVar() + "+" + v.portVar();
            String key = StoreKeys.hosts(v.store());
            out.put(key, new ConfigValue(key, value, ConfigSource.ENVIRONMENT, origin, false));
        }
        for (UrlVar v : URLS) {
            String raw = env.get(v.var());
            if (raw == null || raw.isBlank()) {
                continue;
            }
            List<String> hosts = new ArrayList<>();
            boolean tls = false;
            for (String part : raw.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (p.contains("://")) {
                    URI uri;
                    try {
                        uri = URI.create(p);
                    } catch (IllegalArgumentException e) {
                        hosts.add(p); // left for HostPort parsing to report with the key's name
                        continue;
                    }
                    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                    tls |= scheme.equals("https") || scheme.equals("tls");
                    int port = uri.getPort() > 0 ? uri.getPort()
                            : scheme.equals("https") ? 443 : StoreKeys.defaultPort(v.store());
                    hosts.add(uri.getHost() == null ? p : uri.getHost() + ":" + port);
                } else {
                    hosts.add(p);
                }
            }
            String key = StoreKeys.hosts(v.store());
            out.put(key, new ConfigValue(key, String.join(",", hosts), ConfigSource.ENVIRONMENT, v.var(), false));
            if (tls) {
                String tlsKey = StoreKeys.tls(v.store());
                out.put(tlsKey, new ConfigValue(tlsKey, "true", ConfigSource.ENVIRONMENT, v.var(), false));
            }
        }
        return out;
    }
}
