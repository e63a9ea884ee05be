package io.suho.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which Suho module a class belongs to, read from its package under a root ({@code io.suho} for the real code, another
 * root for the rules' own fixtures): {@code <root>.client.<name>} is {@code suho-client-<name>}, {@code <root>.events}
 * is {@code suho-events}, {@code <root>.pipelines} {@code suho-pipelines}, {@code <root>.hub} {@code suho-hub-server}
 * ({@code <root>.hub.api} {@code suho-hub-api}, {@code <root>.hub.grpc} {@code suho-hub-grpc}),
 * {@code <root>.bench} {@code suho-benchmarks}, {@code <root>.test} {@code suho-test-support}. A package with an
 * {@code internal} segment is that module's implementation; the rest is its public API (the root package and
 * {@code spi}).
 */
final class SuhoModules {
    static final String CORE = "suho-client-core";
    static final String EVENTS = "suho-events";
    static final String PIPELINES = "suho-pipelines";

    /** The store modules, by the last segment of their package ({@code io.suho.client.<store>}). */
    static final List<String> STORES = List.of("postgres", "cache", "analytics", "vector", "graph", "messaging");

    private final String root;

    SuhoModules(String root) {
        this.root = root;
    }

    /** The module of a class (of an array's element class), or empty for a class outside the root. */
    Optional<String> moduleOf(JavaClass javaClass) {
        String pkg = javaClass.getBaseComponentType().getPackageName();
        if (!pkg.startsWith(root + ".")) {
            return Optional.empty();
        }
        String[] segments = pkg.substring(root.length() + 1).split("\\.");
        if (segments[0].equals("client") && segments.length > 1) {
            return Optional.of("suho-client-" + segments[1]);
        }
        return Optional.of(switch (segments[0]) {
            case "events" -> EVENTS;
            case "pipelines" -> PIPELINES;
            // the hub's gRPC contract (io.suho.hub.api) and the SDK's gRPC transport (io.suho.hub.grpc) are modules of
            // their own beside the server
            case "hub" -> segments.length > 1 && segments[1].equals("api") ? "suho-hub-api"
                    : segments.length > 1 && segments[1].equals("grpc") ? "suho-hub-grpc" : "suho-hub-server";
            case "bench" -> "suho-benchmarks";
            case "test" -> "suho-test-support";
            default -> root + "." + segments[0];
        });
    }

    /** The module name of a store: {@code suho-client-<store>}. */
    static String storeModule(String store) {
        return "suho-client-" + store;
    }

    /** The root package of a store module's public API. */
    String storePackage(String store) {
        return root + ".client." + store;
    }

    /** Whether the class (an array's element class) is in an {@code internal} package of any module. */
    static boolean isInternal(JavaClass javaClass) {
        return Arrays.asList(javaClass.getBaseComponentType().getPackageName().split("\\.")).contains("internal");
    }
}
