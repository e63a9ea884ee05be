package io.suho.client.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every store's endpoint with a version that changes whenever any endpoint does: the body of the hub's
 * {@code GET /v1/endpoints} and of the last-known-good endpoint file. JSON shape:
 *
 * <pre>{@code
 * {"version": 7,
 *  "stores": {"postgres": {"hosts": ["10.0.0.5:5432"], "database": "suho_trading", "tls": false,
 *                          "properties": {}}, ...}}
 * }</pre>
 *
 * @param version monotonically increasing version
 * @param stores endpoints by store; stores not configured are absent
 */
public record EndpointCatalog(long version, Map<Store, StoreEndpoint> stores) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EndpointCatalog {
        EnumMap<Store, StoreEndpoint> copy = new EnumMap<>(Store.class);
        copy.putAll(stores);
        stores = java.util.Collections.unmodifiableMap(copy);
    }

    /** The config keys this catalog provides ({@code suho.<store>.hosts}, {@code .database}, {@code .tls}, …). */
    public Map<String, String> toConfig() {
        Map<String, String> out = new HashMap<>();
        stores.forEach((store, ep) -> {
            out.put(StoreKeys.hosts(store), ep.hosts().stream().map(HostPort::toString).collect(Collectors.joining(",")));
            if (ep.database() != null) {
                out.put(StoreKeys.database(store), ep.database());
            }
            out.put(StoreKeys.tls(store), Boolean.toString(ep.tls()));
            ep.properties().forEach((k, v) -> out.put(store.keyPrefix() + k, v));
        });
        return out;
    }

    public ObjectNode toJsonTree() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", version);
        ObjectNode st = root.putObject("stores");
        stores.forEach((store, ep) -> {
            ObjectNode n = st.putObject(store.id());
            ArrayNode hosts = n.putArray("hosts");
            ep.hosts().forEach(h -> hosts.add(h.toString()));
            if (ep.database() != null) {
                n.put("database", ep.database());
            }
            n.put("tls", ep.tls());
            ObjectNode props = n.putObject("properties");
            ep.properties().forEach(props::put);
        });
        return root;
    }

    public String toJson() {
        return toJsonTree().toString();
    }

    /**
     * Parses the JSON shape above. Unknown stores are ignored (a newer hub may know more), malformed entries are
     * rejected with a message naming the store.
     *
     * @throws IllegalArgumentException when the document is not a catalog
     */
    public static EndpointCatalog fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("endpoint catalog is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("version").canConvertToLong()
                || !root.path("stores").isObject()) {
            throw new IllegalArgumentException("endpoint catalog needs a numeric 'version' and a 'stores' object");
        }
        Map<Store, StoreEndpoint> stores = new EnumMap<>(Store.class);
        Iterator<Map.Entry<String, JsonNode>> it = root.path("stores").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Store store;
            try {
                store = Store.fromId(e.getKey());
            } catch (IllegalArgumentException unknown) {
                continue;
            }
            JsonNode n = e.getValue();
            try {
                List<HostPort> hosts = new ArrayList<>();
                for (JsonNode h : n.path("hosts")) {
                    hosts.add(HostPort.parse(h.asText(), StoreKeys.defaultPort(store)));
                }
                Map<String, String> props = new HashMap<>();
                n.path("properties").fields().forEachRemaining(p -> props.put(p.getKey(), p.getValue().asText()));
                String db = n.hasNonNull("database") ? n.get("database").asText() : null;
                stores.put(store, new StoreEndpoint(hosts, db, n.path("tls").asBoolean(false), props));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("endpoint for " + store.id() + " is invalid: " + bad.getMessage(),
                        bad);
            }
        }
        return new EndpointCatalog(root.get("version").asLong(), stores);
    }
}
