package io.suho.client.core.internal;

import io.suho.client.core.ConfigSource;
import io.suho.client.core.ConfigValue;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connection URLs hosting platforms and frameworks hand to a process, read as the SDK's store keys:
 *
 * <ul>
 *   <li>{@code DATABASE_URL} = {@code postgres://user:pw@host:5432/db?sslmode=require} (also {@code postgresql://},
 *       several {@code host:port} separated by commas, or a JDBC URL), and {@code JDBC_DATABASE_URL} =
 *       {@code jdbc:postgresql://host:5432/db?user=u&password=p&sslmode=require} → {@code suho.postgres.hosts},
 *       {@code .database}, {@code .user}, {@code .password}, {@code .tls} and, from {@code sslmode=require|verify-ca|
 *       verify-full}, {@code suho.postgres.tls.mode};</li>
 *   <li>{@code REDIS_URL} = {@code redis://[user]:pw@host:6379} ({@code rediss://} = TLS) → {@code suho.cache.hosts},
 *       {@code .user}, {@code .password}, {@code .tls}.</li>
 * </ul>
 *
 * <p>They rank below everything else that names the same thing: the {@code suho.*} keys and their {@code SUHO_*}
 * variables, the seed's own names ({@code POSTGRES_HOST}, {@code POSTGRES_PASSWORD}, {@code DRAGONFLY_HOST}, …) and a
 * value another URL already gave. Credentials become the store's secret password value (masked like every secret)
 * and never appear in the {@code .hosts} value or in a message: the origin of a value reads
 * {@code DATABASE_URL (user info)}, never the URL.
 */
final class PlatformUrls {

    /** Recognised variables, in precedence order, with the store they configure. */
    private static final List<Map.Entry<String, Store>> VARIABLES = List.of(
            Map.entry("DATABASE_URL", Store.POSTGRES),
            Map.entry("JDBC_DATABASE_URL", Store.POSTGRES),
            Map.entry("REDIS_URL", Store.CACHE));

    private PlatformUrls() {
    }

    /** Adds what the platform URLs in {@code env} say to {@code out}, leaving every key {@code out} has alone. */
    static void derive(Map<String, String> env, Map<String, ConfigValue> out) {
        for (Map.Entry<String, Store> variable : VARIABLES) {
            String raw = env.get(variable.getKey());
            if (raw == null || raw.isBlank()) {
                continue;
            }
            Parsed p = parse(variable.getValue(), raw.trim());
            if (p == null) {
                continue; // not a URL of this store's kind (DATABASE_URL=mysql://…): not ours to read
            }
            String name = variable.getKey();
            Store store = variable.getValue();
            put(out, StoreKeys.hosts(store), p.hosts, name, false);
            if (p.tls) {
                put(out, StoreKeys.tls(store), "true", name, false);
            }
            if (p.sslMode != null) {
                // the URL's sslmode is how the platform expects TLS to be checked (require: no certificate check)
                put(out, store.keyPrefix() + "tls.mode", p.sslMode, name, false);
            }
            if (p.database != null && store == Store.POSTGRES) {
                put(out, StoreKeys.database(store), p.database, name, false);
            }
            if (p.user != null) {
                put(out, StoreKeys.user(store), p.user, name + " (user info)", false);
            }
            if (p.password != null) {
                put(out, StoreKeys.password(store), p.password, name + " (user info)", true);
            }
        }
    }

    private static void put(Map<String, ConfigValue> out, String key, String value, String origin, boolean secret) {
        if (value != null && !value.isEmpty() && !out.containsKey(key)) {
            out.put(key, new ConfigValue(key, value, ConfigSource.ENVIRONMENT, origin, secret));
        }
    }

    /** What one URL says; null when its scheme is not the store's. */
    static Parsed parse(Store store, String url) {
        String scheme;
        String rest;
        int sep = url.indexOf("://");
        if (sep < 0) {
            return null;
        }
        scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        rest = url.substring(sep + 3);
        boolean tls;
        if (store == Store.POSTGRES) {
            if (!scheme.equals("postgres") && !scheme.equals("postgresql") && !scheme.equals("jdbc:postgresql")) {
                return null;
            }
            tls = false;
        } else {
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                return null;
            }
            tls = scheme.equals("rediss");
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        String path = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        List<String> hosts = new ArrayList<>();
        for (String h : rest.split(",")) {
            String host = h.trim();
            if (host.isEmpty()) {
                continue;
            }
            boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
            hosts.add(hasPort ? host : host + ":" + StoreKeys.defaultPort(store));
        }
        Map<String, String> params = queryParameters(query);
        if (params.containsKey("user")) {
            user = params.get("user");
        }
        if (params.containsKey("password")) {
            password = params.get("password");
        }
        String sslmode = params.getOrDefault("sslmode", "").toLowerCase(Locale.ROOT);
        tls |= sslmode.equals("require") || sslmode.equals("verify-ca") || sslmode.equals("verify-full")
                || "true".equalsIgnoreCase(params.get("ssl"));
        String database = store == Store.POSTGRES && path != null && !path.isBlank() ? decode(path) : null;
        String mode = store == Store.POSTGRES && (sslmode.equals("require") || sslmode.equals("verify-ca")
                || sslmode.equals("verify-full")) ? sslmode : null;
        return new Parsed(String.join(",", hosts), tls, mode, database,
                user == null || user.isEmpty() ? null : user, password == null || password.isEmpty() ? null : password);
    }

    private static Map<String, String> queryParameters(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(decode(pair.substring(0, eq)).toLowerCase(Locale.ROOT), decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** One URL's parts; {@code toString} leaves the password out. */
    record Parsed(String hosts, boolean tls, String sslMode, String database, String user, String password) {
        @Override
        public String toString() {
            return "Parsed[hosts=" + hosts + ", tls=" + tls + ", sslMode=" + sslMode + ", database=" + database
                    + ", user=" + user
                    + ", password=" + (password == null ? "none" : "(set)") + "]";
        }
    }
}
