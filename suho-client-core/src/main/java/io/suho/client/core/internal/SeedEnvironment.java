package io.suho.client.core.internal;

import io.suho.client.core.ConfigSource;
import io.suho.client.core.ConfigValue;
import io.suho.client.core.SeedVariables;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.Store;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Credentials inside a URL ({@code ARANGO_URL=http://root:pw@arango:8529}, {@code NATS_URL=nats://u:p@nats:4222},
 * {@code WEAVIATE_URL=https://key@weaviate}) are honoured: they become the store's {@code .user} and (secret)
 * {@code .password} values, below any explicitly set user or password variable. They never end up in the
 * {@code .hosts} value, so no message or health detail repeats them.
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
            String credentialsFrom = null;
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
                        hosts.add(withoutUserInfo(p)); // left for HostPort parsing to report with the key's name
                        continue;
                    }
                    if (uri.getRawUserInfo() != null && credentialsFrom == null) {
                        credentialsFrom = uri.getRawUserInfo();
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
            if (credentialsFrom != null) {
                credentials(v, credentialsFrom, out);
            }
        }
        PlatformUrls.derive(env, out); // DATABASE_URL, JDBC_DATABASE_URL, REDIS_URL: below the seed names
        return out;
    }

    /** {@code user:password} (or a lone API key / token) of a URL's user-info part, as the store's keys. */
    private static void credentials(SeedVariables v, String rawUserInfo, Map<String, ConfigValue> out) {
        int colon = rawUserInfo.indexOf(':');
        String user = colon < 0 ? null : decode(rawUserInfo.substring(0, colon));
        String password = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(colon + 1));
        Store store = v.store();
        String origin = v.url() + " (user info)";
        if (user != null && !user.isEmpty() && v.user() != null) {
            String key = StoreKeys.user(store);
            out.put(key, new ConfigValue(key, user, ConfigSource.ENVIRONMENT, origin, false));
        } else if (colon < 0 && v.user() != null && store != Store.NATS) {
            // a lone name where the store logs in with user + password: it is the user, not a secret
            String key = StoreKeys.user(store);
            out.put(key, new ConfigValue(key, password, ConfigSource.ENVIRONMENT, origin, false));
            return;
        }
        if (!password.isEmpty() && !v.passwords().isEmpty()) {
            String key = StoreKeys.password(store);
            out.put(key, new ConfigValue(key, password, ConfigSource.ENVIRONMENT, origin, true));
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code scheme://user:pw@host…} → {@code scheme://host…}, for text that may be shown. */
    public static String withoutUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int end = url.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = url.indexOf(c, start);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        int at = url.lastIndexOf('@', end - 1);
        return at < start ? url : url.substring(0, start) + url.substring(at + 1);
    }
}
