package io.suho.client.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys of the health model: how often each started store is checked in the background and for how long
 * ({@code suho.health.interval}, {@code suho.health.timeout}, overridable per store as
 * {@code suho.<store>.health.interval} / {@code .timeout}), and which stores make the service not ready when they
 * are DOWN ({@code suho.health.readiness}). {@link SuhoClients#health()} never runs a check itself: it returns the
 * last result of each store at once, with its age.
 *
 * <pre>{@code
 * SuhoClients suho = SuhoClients.builder()
 *         .serviceName("order-service")
 *         .set("suho.health.readiness", "postgres,nats") // analytics DOWN only degrades
 *         .set("suho.analytics.health.timeout", "500ms")
 *         .build();
 * }</pre>
 *
 * Immutable constants; thread-safe.
 */
public final class HealthKeys {
    /** The readiness group when {@code suho.health.readiness} is not set: the stores an order path cannot do without. */
    public static final Set<Store> DEFAULT_READINESS = Set.copyOf(EnumSet.of(Store.POSTGRES, Store.CACHE, Store.NATS));

    /** {@code suho.health.interval}: how often each started store is checked in the background (default 5 s). */
    public static final ConfigKey<Duration> INTERVAL = ConfigKey.duration("suho.health.interval",
            "How often each started store is checked in the background (per store: suho.<store>.health.interval).",
            Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1));

    /** {@code suho.health.timeout}: how long one background check may take before it counts as DOWN (default 2 s). */
    public static final ConfigKey<Duration> TIMEOUT = ConfigKey.duration("suho.health.timeout",
            "How long one background health check may take before the store counts as DOWN "
                    + "(per store: suho.<store>.health.timeout).",
            Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(5));

    /**
     * {@code suho.health.readiness}: the stores whose DOWN makes {@link SuhoHealth#readiness()} DOWN — a
     * comma-separated list of store ids, {@code all} or {@code none}. Default {@code postgres,cache,nats}
     * ({@link #DEFAULT_READINESS}); the other stores only make {@link SuhoHealth#status()} worse.
     */
    public static final ConfigKey<Set<Store>> READINESS = ConfigKey.custom("suho.health.readiness",
            "Stores whose DOWN makes the service not ready: comma-separated ids (postgres,cache,analytics,vector,graph,"
                    + "nats,kafka), all or none.",
            HealthKeys::parseStores, HealthKeys::formatStores, DEFAULT_READINESS);

    private static final Map<Store, ConfigKey<Duration>> STORE_INTERVAL = new EnumMap<>(Store.class);
    private static final Map<Store, ConfigKey<Duration>> STORE_TIMEOUT = new EnumMap<>(Store.class);

    static {
        for (Store s : Store.values()) {
            STORE_INTERVAL.put(s, ConfigKey.duration(s.keyPrefix() + "health.interval",
                    "How often " + s.id() + " is checked in the background (default: suho.health.interval).", null,
                    Duration.ofMillis(100), Duration.ofHours(1)).withDefaultFrom(INTERVAL));
            STORE_TIMEOUT.put(s, ConfigKey.duration(s.keyPrefix() + "health.timeout",
                    "How long one background check of " + s.id() + " may take (default: suho.health.timeout).", null,
                    Duration.ofMillis(10), Duration.ofMinutes(5)).withDefaultFrom(TIMEOUT));
        }
    }

    private HealthKeys() {
    }

    /** {@code suho.<store>.health.interval}, defaulting to {@link #INTERVAL}. */
    public static ConfigKey<Duration> interval(Store store) {
        return STORE_INTERVAL.get(store);
    }

    /** {@code suho.<store>.health.timeout}, defaulting to {@link #TIMEOUT}. */
    public static ConfigKey<Duration> timeout(Store store) {
        return STORE_TIMEOUT.get(store);
    }

    /** The SDK-wide health keys ({@link #INTERVAL}, {@link #TIMEOUT}, {@link #READINESS}). */
    public static List<ConfigKey<?>> keys() {
        return List.of(INTERVAL, TIMEOUT, READINESS);
    }

    /** {@code store}'s own health keys ({@link #interval(Store)}, {@link #timeout(Store)}). */
    public static List<ConfigKey<?>> keys(Store store) {
        return List.of(interval(store), timeout(store));
    }

    private static Set<Store> parseStores(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("all")) {
            return Set.copyOf(EnumSet.allOf(Store.class));
        }
        if (t.equalsIgnoreCase("none")) {
            return Set.of();
        }
        List<String> bad = new ArrayList<>();
        EnumSet<Store> out = EnumSet.noneOf(Store.class);
        for (String part : t.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(Store.fromId(part));
            } catch (IllegalArgumentException e) {
                bad.add(part.trim());
            }
        }
        if (!bad.isEmpty() || out.isEmpty()) {
            throw new IllegalArgumentException("expected store ids separated by commas (postgres, cache, analytics, "
                    + "vector, graph, nats, kafka), all or none" + (bad.isEmpty() ? "" : "; unknown: " + bad));
        }
        return Set.copyOf(out);
    }

    private static String formatStores(Set<Store> stores) {
        if (stores.isEmpty()) {
            return "none";
        }
        return EnumSet.copyOf(stores).stream().map(Store::id).collect(Collectors.joining(","));
    }
}
