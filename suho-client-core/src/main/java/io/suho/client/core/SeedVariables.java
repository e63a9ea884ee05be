package io.suho.client.core;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The seed deployment's environment names for one store — the one table of them, read by the SDK (as aliases of the
 * {@code suho.<store>.*} keys, see {@link StoreKeys}) and by the hub (for its probe targets). A store's address is
 * given either as a host variable plus a port variable ({@code POSTGRES_HOST} + {@code POSTGRES_PORT}) or as a
 * URL list ({@code NATS_URL=nats://h:4222}); a name the seed does not have is {@code null}. Immutable.
 *
 * <pre>{@code
 * SeedVariables pg = SeedVariables.of(Store.POSTGRES);
 * String db = System.getenv(pg.database()); // POSTGRES_DB
 * }</pre>
 *
 * @param store the store
 * @param host host variable, or {@code null} when the address is a URL variable
 * @param port port variable going with {@link #host()}, or {@code null}
 * @param url URL (list) variable, or {@code null} when the address is host + port; an {@code https://} or
 *     {@code tls://} scheme means TLS
 * @param database database name variable, or {@code null}
 * @param user user name variable, or {@code null}
 * @param passwords password/API-key variables, first found wins (each may also be given as {@code <NAME>_FILE})
 * @param tls TLS on/off variable, or {@code null}
 */
public record SeedVariables(Store store, @Nullable String host, @Nullable String port, @Nullable String url,
        @Nullable String database, @Nullable String user, List<String> passwords, @Nullable String tls) {

    private static final Map<Store, SeedVariables> TABLE = new EnumMap<>(Store.class);

    static {
        add(new SeedVariables(Store.POSTGRES, "POSTGRES_HOST", "POSTGRES_PORT", null, "POSTGRES_DB", "POSTGRES_USER",
                List.of("POSTGRES_PASSWORD"), "POSTGRES_TLS"));
        add(new SeedVariables(Store.CACHE, "DRAGONFLY_HOST", "DRAGONFLY_PORT", null, null, "DRAGONFLY_USER",
                List.of("DRAGONFLY_PASSWORD"), "DRAGONFLY_TLS"));
        add(new SeedVariables(Store.ANALYTICS, "CLICKHOUSE_HOST", "CLICKHOUSE_HTTP_PORT", null, "CLICKHOUSE_DB",
                "CLICKHOUSE_USER", List.of("CLICKHOUSE_PASSWORD"), "CLICKHOUSE_TLS"));
        add(new SeedVariables(Store.VECTOR, null, null, "WEAVIATE_URL", null, null, List.of("WEAVIATE_API_KEY"),
                null));
        add(new SeedVariables(Store.GRAPH, null, null, "ARANGO_URL", "ARANGO_DB", "ARANGO_USER",
                List.of("ARANGO_PASSWORD", "ARANGO_ROOT_PASSWORD"), null));
        add(new SeedVariables(Store.NATS, null, null, "NATS_URL", null, "NATS_USER", List.of("NATS_PASSWORD"), null));
        add(new SeedVariables(Store.KAFKA, null, null, "KAFKA_BROKERS", null, null, List.of(), null));
    }

    public SeedVariables {
        Objects.requireNonNull(store, "store");
        if ((host == null) == (url == null)) {
            throw new IllegalArgumentException(store.id() + ": give either a host variable or a URL variable");
        }
        passwords = passwords == null ? List.of() : List.copyOf(passwords);
    }

    private static void add(SeedVariables v) {
        TABLE.put(v.store(), v);
    }

    /** The seed names of one store. */
    public static SeedVariables of(Store store) {
        return TABLE.get(store);
    }

    /** Every store's seed names, in {@link Store} order. */
    public static List<SeedVariables> all() {
        return List.copyOf(TABLE.values());
    }

    /** True when the address is a URL variable rather than host + port. */
    public boolean addressIsUrl() {
        return url != null;
    }

    /** How the seed gives the address, for docs and messages: {@code POSTGRES_HOST + POSTGRES_PORT} or {@code NATS_URL}. */
    public String describeAddress() {
        return url != null ? url : host + " + " + port;
    }
}
