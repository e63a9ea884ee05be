package io.suho.spring.boot.autoconfigure;

import io.suho.test.RequiredStores;
import io.suho.test.StoreKind;
import io.suho.test.StoreResolver;
import io.suho.test.StoreServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Real servers for Spring tests, whose properties are needed before the context starts (so not through a test
 * parameter): resolved by suho-test-support's {@link StoreResolver}; when none can be had the test is skipped with the
 * reason printed, or fails when the kind is required ({@code -Dsuho.test.require}).
 */
final class RealServers {
    private RealServers() {
    }

    static StoreServer server(StoreKind kind) {
        StoreResolver.Resolution r = StoreResolver.resolve(kind);
        if (r.available()) {
            return r.server();
        }
        String reason = kind + " unavailable: " + r.reason();
        if (RequiredStores.isRequired(kind)) {
            throw new AssertionError(reason + " (required by -D" + RequiredStores.PROPERTY + ")");
        }
        System.err.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        return null;
    }

    /** The {@code suho.<store>.*} properties pointing the SDK at the server, as {@code key=value} pairs. */
    static List<String> properties(StoreServer s) {
        String prefix = "suho." + s.store().id() + ".";
        List<String> out = new ArrayList<>();
        out.add(prefix + "hosts=" + s.hostPort());
        if (s.database() != null) {
            out.add(prefix + "database=" + s.database());
        }
        if (s.user() != null) {
            out.add(prefix + "user=" + s.user());
        }
        if (s.password() != null) {
            out.add(prefix + "password=" + s.password());
        }
        return out;
    }

    static String[] properties(StoreServer s, String... more) {
        List<String> all = new ArrayList<>(properties(s));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
