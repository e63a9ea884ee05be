package io.suho.test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a real server for a {@link StoreKind}: explicit URL from the environment, then the local stack when it is
 * already running (fault tests can only stop and start that one), then Testcontainers when a Docker engine answers
 * ({@code SUHO_TEST_PREFER_CONTAINERS=true} puts it first), then the local stack started with {@code infra/local/up}.
 * Results are cached per JVM, so the local stack is started at most once per kind. Thread-safe.
 */
public final class StoreResolver {
    /** A server, or the reason there is none. */
    public record Resolution(StoreServer server, String reason) {
        public boolean available() {
            return server != null;
        }
    }

    /** Set to {@code true} to use Testcontainers even when the local stack is running. */
    public static final String PREFER_CONTAINERS = "SUHO_TEST_PREFER_CONTAINERS";

    private static final Map<StoreKind, Resolution> CACHE = new ConcurrentHashMap<>();

    private StoreResolver() {
    }

    /** Resolves (once per JVM) a server for the kind. Never throws: failures become the reason. */
    public static Resolution resolve(StoreKind kind) {
        return CACHE.computeIfAbsent(kind, StoreResolver::doResolve);
    }

    private static Resolution doResolve(StoreKind kind) {
        String explicit = System.getenv(kind.envVar());
        if (explicit != null && !explicit.isBlank()) {
            try {
                return new Resolution(fromUrl(kind, explicit.trim()), null);
            } catch (IllegalArgumentException e) {
                return new Resolution(null, kind.envVar() + " is invalid: " + e.getMessage());
            }
        }
        StringBuilder why = new StringBuilder(kind.envVar() + " is not set");
        boolean preferContainers = Boolean.parseBoolean(System.getenv(PREFER_CONTAINERS));
        if (!preferContainers && kind.localName() != null && LocalStack.reachable(kind)) {
            return new Resolution(LocalStack.server(kind), null); // a running local stack wins: fault tests need it
        }
        if (kind.image() != null) {
            String docker = DockerProbe.unavailableReason();
            if (docker == null) {
                try {
                    return new Resolution(Containers.start(kind), null);
                } catch (RuntimeException | LinkageError e) {
                    why.append("; Testcontainers could not start ").append(kind.image()).append(": ").append(e);
                }
            } else {
                why.append("; ").append(docker);
            }
        }
        if (kind.localName() == null) {
            why.append("; the local no-Docker stack cannot provide ").append(kind);
            return new Resolution(null, why.toString());
        }
        if (LocalStack.reachable(kind)) {
            return new Resolution(LocalStack.server(kind), null);
        }
        if (LocalStack.scriptsDir() == null) {
            why.append("; infra/local/up not found above ").append(System.getProperty("user.dir"));
            return new Resolution(null, why.toString());
        }
        try {
            LocalStack.up(kind);
        } catch (RuntimeException e) {
            why.append("; infra/local/up ").append(kind.localName()).append(" failed: ").append(e.getMessage());
            return new Resolution(null, why.toString());
        }
        if (LocalStack.reachable(kind)) {
            return new Resolution(LocalStack.server(kind), null);
        }
        why.append("; infra/local/up ").append(kind.localName()).append(" ran but the port does not answer");
        return new Resolution(null, why.toString());
    }

    /**
     * Parses an explicit server URL: {@code postgresql://user:pass@host:port/db}, {@code redis://:pass@host:port},
     * {@code http://user:pass@host:8123/db}, {@code nats://host:4222}, Kafka as {@code host:port}.
     */
    static StoreServer fromUrl(StoreKind kind, String text) {
        String withScheme = text.contains("://") ? text : "tcp://" + text;
        URI uri = URI.create(withScheme.replaceFirst("^jdbc:", ""));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in it");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = parts[0].isEmpty() ? null : decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        int port = uri.getPort() > 0 ? uri.getPort() : io.suho.client.core.StoreKeys.defaultPort(kind.store());
        if (kind == StoreKind.WEAVIATE && System.getenv("SUHO_WEAVIATE_API_KEY") != null) {
            password = System.getenv("SUHO_WEAVIATE_API_KEY");
        }
        return new StoreServer(kind, uri.getHost(), port, user, password, path.isEmpty() ? null : path, "env");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
