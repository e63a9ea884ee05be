package io.suho.hub;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.HostWeights;
import io.suho.client.core.SeedVariables;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreEndpoint;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one store's probe target for {@link HubConfig}: host + port variables ({@code POSTGRES_HOST} +
 * {@code POSTGRES_PORT}) or a URL list ({@code NATS_URL}, {@code ARANGO_URL}). Credentials written inside a URL
 * ({@code http://user:pw@host}) are used — below the explicit user and password variables — and removed from the
 * URL the health detail shows; a URL that does not parse is reported without them. Also reads what the endpoint
 * catalog carries beyond addresses: the PostgreSQL replica weights ({@code POSTGRES_REPLICA_WEIGHTS}).
 */
final class StoreTargets {
    /**
     * {@code POSTGRES_REPLICA_WEIGHTS}: per-replica weights the SDKs' read routing honours, published in the catalog
     * as the postgres endpoint's {@code replica.weights} property; {@code 0} drains a replica.
     */
    static final ConfigKey<HostWeights> POSTGRES_REPLICA_WEIGHTS = ConfigKey.custom("postgres.replica.weights",
            "Weights of PostgreSQL read replicas, host:port=weight[,...]: published in the endpoint catalog for the"
                    + " SDKs' read routing (unlisted replicas weigh 1; 0 drains a replica: no new reads).",
            text -> HostWeights.parse(text, StoreKeys.defaultPort(Store.POSTGRES)), HostWeights::toString,
            HostWeights.NONE);

    private StoreTargets() {
    }

    /** The replica weights, checked: a bad value fails the hub's start naming {@code POSTGRES_REPLICA_WEIGHTS}. */
    static HostWeights replicaWeights(SuhoConfig v) {
        return v.get(POSTGRES_REPLICA_WEIGHTS);
    }

    /** The non-address properties the catalog publishes for {@code store}: the replica weights for postgres. */
    static Map<String, String> endpointProperties(HubConfig config, Store store) {
        HostWeights w = config.postgresReplicaWeights();
        return store == Store.POSTGRES && !w.weights().isEmpty()
                ? Map.of(StoreEndpoint.REPLICA_WEIGHTS, w.toString()) : Map.of();
    }

    static HubConfig.Target hostPortTarget(SuhoConfig v, Store store, String database, String user) {
        List<HostPort> hosts = v.get(HubKeys.hosts(store, v.get(HubKeys.port(store))));
        return new HubConfig.Target(store, hosts, database, v.get(HubKeys.tls(store)), user,
                v.optional(HubKeys.password(store)).orElse(null), null, null);
    }

    static void urlTarget(SuhoConfig v, Store store, String user, Secret password,
            Map<Store, HubConfig.Target> out, Map<Store, String> missing) {
        String var = SeedVariables.of(store).url();
        String raw = v.optional(HubKeys.url(store)).orElse(null);
        if (raw == null) {
            missing.put(store, "not configured: set " + var);
            return;
        }
        List<HostPort> hosts = new ArrayList<>();
        boolean tls = false;
        URI first = null;
        for (String part : raw.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                if (p.contains("://")) {
                    URI uri = URI.create(p);
                    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
                    if (uri.getHost() == null) {
                        throw new IllegalArgumentException("no host in '" + p + "'");
                    }
                    tls |= scheme.equals("https") || scheme.equals("tls");
                    int port = uri.getPort() > 0 ? uri.getPort()
                            : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : StoreKeys.defaultPort(store);
                    hosts.add(new HostPort(uri.getHost(), port));
                    if (first == null) {
                        first = uri;
                    }
                } else {
                    hosts.add(HostPort.parse(p, StoreKeys.defaultPort(store)));
                }
            } catch (IllegalArgumentException e) {
                // the driver's message quotes the input: never repeat credentials that were inside it
                String why = String.valueOf(e.getMessage());
                int at = p.indexOf('@');
                if (at >= 0) {
                    why = "cannot parse '" + (p.contains("://") ? p.substring(0, p.indexOf("://") + 3) : "")
                            + "****@" + p.substring(at + 1) + "'";
                }
                throw new ConfigurationException(var, var + " is invalid: " + why);
            }
        }
        if (hosts.isEmpty()) {
            missing.put(store, "not configured: " + var + " is empty");
            return;
        }
        if (first != null && first.getRawUserInfo() != null) {
            // credentials inside the URL are honoured (below the explicit variables) and never kept in the URL,
            // which the health detail shows
            String info = first.getRawUserInfo();
            int colon = info.indexOf(':');
            String u = colon < 0 ? null : decode(info.substring(0, colon));
            String pw = decode(colon < 0 ? info : info.substring(colon + 1));
            if (user == null && u != null && !u.isEmpty()) {
                user = u;
            } else if (store == Store.GRAPH && colon < 0 && !v.isSet(HubKeys.user(store).name())) {
                user = pw;
                pw = "";
            } else if (store == Store.GRAPH && u != null && !u.isEmpty() && !v.isSet(HubKeys.user(store).name())) {
                user = u;
            }
            if (password == null && !pw.isEmpty()) {
                password = Secret.of(pw);
            }
            try {
                first = new URI(first.getScheme(), null, first.getHost(), first.getPort(), first.getPath(), null, null);
            } catch (java.net.URISyntaxException e) {
                throw new ConfigurationException(var, var + " is invalid: " + e.getMessage());
            }
        }
        URI url = null;
        URI monitor = null;
        if (store == Store.VECTOR || store == Store.GRAPH) {
            url = first != null ? first : URI.create("http://" + hosts.get(0));
            String scheme = url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new ConfigurationException(var, var + " must be an http(s) URL, e.g. http://weaviate:8080");
            }
        }
        if (store == Store.NATS) {
            monitor = v.optional(HubKeys.NATS_MONITOR_URL)
                    .orElseGet(() -> URI.create("http://" + hosts.get(0).host() + ":8222"));
        }
        out.put(store, new HubConfig.Target(store, List.copyOf(hosts), null, tls, user, password, url, monitor));
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
