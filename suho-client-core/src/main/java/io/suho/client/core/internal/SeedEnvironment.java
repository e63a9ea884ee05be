package io.suho.client.core.internal;

import io.suho.client.core.ConfigSource;
import io.suho.client.core.ConfigValue;
import io.suho.client.core.SeedVariables;
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
 * {@code suho.<store>.hosts} and {@code .tls} keys. The names come from {@link SeedVariables}; simple one-to-one
 * names (database, user, password, TLS flag) are plain key aliases instead (see {@code StoreKeys}).
 */
public final class SeedEnvironment {
    private SeedEnvironment() {
    }

    /** The seed variable(s) that set a {@code .hosts} key, for error messages; null when none. */
    public static String seedHostsName(String key) {
        for (SeedVariables v : SeedVariables.all()) {
            if (StoreKeys.hosts(v.store()).equals(key)) {
                return v.addressIsUrl() ? v.url() : v.host() + " (+ " + v.port() + ")";
            }
        }
        return null;
    }

    /** Derives {@code suho.<store>.hosts} / {@code .tls} values from the seed names present in {@code env}. */
    public static Map<String, ConfigValue> derive(Map<String, String> env) {
        Map<String, ConfigValue> out = new HashMap<>();
        for (SeedVariables v : SeedVariables.all()) {
            if (v.addressIsUrl()) {
                continue;
            }
            String host = env.get(v.host());
            if (host == null || host.isBlank()) {
                continue;
            }
            String port = env.get(v.port());
            String value = host.contains(":") || host.contains(",") || port == null || port.isBlank()
                    ? host.trim()
                    : host.trim() + ":" + port.trim();
            String origin = port == null ? v.host() : v.host() + "+" + v.port();
            String key = StoreKeys.hosts(v.store());
            out.put(key, new ConfigValue(key, value, ConfigSource.ENVIRONMENT, origin, false));
        }
        for (SeedVariables v : SeedVariables.all()) {
            if (!v.addressIsUrl()) {
                continue;
            }
            String raw = env.get(v.url());
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
            out.put(key, new ConfigValue(key, String.join(",", hosts), ConfigSource.ENVIRONMENT, v.url(), false));
            if (tls) {
                String tlsKey = StoreKeys.tls(v.store());
                out.put(tlsKey, new ConfigValue(tlsKey, "true", ConfigSource.ENVIRONMENT, v.url(), false));
            }
        }
        return out;
    }
}
