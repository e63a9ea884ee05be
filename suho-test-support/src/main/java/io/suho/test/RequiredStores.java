package io.suho.test;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The stores a test run must have: {@code -Dsuho.test.require=postgres,redis,nats,clickhouse,kafka} (or the
 * environment variable {@code SUHO_TEST_REQUIRE}; the system property wins). For a required store, what would be a
 * skip (no server, or a fault test that cannot take the server away) is a <em>failure</em> naming the store and the
 * reason, so a build that was meant to exercise it can never stay green without it. CI sets it; a developer's
 * {@code mvn verify} without it still skips what this machine cannot have.
 *
 * <p>Names are {@link StoreKind#localName()} values ({@code postgres}, {@code postgres-replica}, {@code redis},
 * {@code clickhouse}, {@code nats}, {@code kafka}) or {@link StoreKind} names ({@code DRAGONFLY}, {@code WEAVIATE},
 * {@code ARANGO}), case-insensitive. An unknown name fails every test that asks for a server, with the list of
 * valid names, rather than being ignored.
 */
public final class RequiredStores {
    /** The system property that lists the required stores. */
    public static final String PROPERTY = "suho.test.require";
    /** The environment variable read when the system property is not set. */
    public static final String ENV = "SUHO_TEST_REQUIRE";

    private static volatile Set<StoreKind> override;

    private RequiredStores() {
    }

    /** The required kinds of this run; throws {@link IllegalArgumentException} naming the setting for a bad name. */
    public static Set<StoreKind> kinds() {
        Set<StoreKind> o = override;
        if (o != null) {
            return o;
        }
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return parse(prop, "-D" + PROPERTY);
        }
        String env = System.getenv(ENV);
        return env == null || env.isBlank() ? Set.of() : parse(env, ENV);
    }

    /** Whether a would-be skip for this kind must fail the test instead. */
    public static boolean isRequired(StoreKind kind) {
        return kinds().contains(kind);
    }

    /** Parses a comma-separated list; {@code source} names the setting in the error. */
    static Set<StoreKind> parse(String text, String source) {
        Set<StoreKind> kinds = EnumSet.noneOf(StoreKind.class);
        for (String raw : text.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            kinds.add(Arrays.stream(StoreKind.values())
                    .filter(k -> name.equalsIgnoreCase(k.localName()) || name.equalsIgnoreCase(k.name())
                            || name.replace('-', '_').equalsIgnoreCase(k.name()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(source + " names an unknown store '" + name
                            + "'; use a comma-separated list of " + validNames())));
        }
        return Collections.unmodifiableSet(kinds);
    }

    private static String validNames() {
        return Arrays.stream(StoreKind.values())
                .map(k -> k.localName() != null ? k.localName() : k.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    /** For tests of this class and the extension: replaces the configured set ({@code null} restores it). */
    static void overrideForTest(Set<StoreKind> kinds) {
        override = kinds == null ? null : Set.copyOf(kinds);
    }

    /**
     * What a test does when it cannot have what it needs: a required kind fails with {@link MissingStoreError}, any
     * other kind is reported on stderr and the test is aborted (skipped) with the same message.
     */
    static void unavailable(StoreKind kind, String message) {
        if (isRequired(kind)) {
            String msg = "REQUIRED store " + kind + " (" + PROPERTY + "): " + message;
            System.err.println("FAILED " + msg);
            throw new MissingStoreError(msg);
        }
        System.err.println("SKIPPED " + message);
        org.junit.jupiter.api.Assumptions.abort(message);
    }

    /** A required store could not be had: the test fails (it is not skipped). */
    public static final class MissingStoreError extends AssertionError {
        private static final long serialVersionUID = 1L;

        MissingStoreError(String message) {
            super(message);
        }
    }
}
