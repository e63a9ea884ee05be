package io.suho.client.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import io.suho.client.core.internal.ClientRuntime;
import io.suho.client.core.spi.StoreModule;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of the Suho SDK: one per application, built once at start-up, closed at shutdown. It resolves
 * configuration (builder &gt; system properties &gt; environment &gt; hub &gt; last-known-good file), asks the hub
 * for endpoints once (bounded in time), registers this instance and heartbeats in the background, and hands out
 * typed store clients whose modules are on the classpath:
 *
 * <pre>{@code
 * try (SuhoClients suho = SuhoClients.builder()
 *         .serviceName("order-service")
 *         .hub(URI.create("http://suho-central-hub:7000"))
 *         .meterRegistry(registry)
 *         .build()) {
 *     PostgresClient pg = suho.get(PostgresClient.class);
 * }
 * }</pre>
 *
 * Store modules start lazily on first {@link #get} unless {@link Builder#eagerStart(boolean)} is set. Thread-safe.
 * {@link #close()} closes stores in reverse start order, bounded by {@code suho.close-timeout}.
 */
public final class SuhoClients implements AutoCloseable {
    private final ClientRuntime runtime;

    private SuhoClients(ClientRuntime runtime) {
        this.runtime = runtime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The client of the given type, starting its store module on first use.
     *
     * @throws ConfigurationException when no module on the classpath provides the type (the message names the Maven
     *     artifact to add) or the store's configuration is incomplete
     */
    public <T> T get(Class<T> type) {
        return runtime.client(type);
    }

    /**
     * Runs any call a service sends to a store through that store's circuit breaker, retries (only when
     * {@code idempotent}), {@code suho.client.requests} timer (under {@code operation}) and failure mapping — for a
     * driver or protocol the store clients do not wrap. Starts the store's module on first use.
     *
     * <pre>{@code
     * String version = suho.execute(Store.ANALYTICS, "http-version", true,
     *         () -> httpClient.send(versionRequest, BodyHandlers.ofString()).body());
     * }</pre>
     *
     * Failures reach the caller as {@link StoreUnavailableException} (not sent), {@link StoreTimeoutException}
     * (outcome unknown) or {@link StoreOperationException}; unchecked exceptions of the caller's own code pass through.
     *
     * @throws ConfigurationException when the store's module is not on the classpath
     */
    public <T> T execute(Store store, String operation, boolean idempotent, Callable<T> call) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(call, "call");
        return runtime.execute(store, operation, idempotent, call);
    }

    /** The service name every meter is tagged with. */
    public String serviceName() {
        return runtime.serviceName();
    }

    /** The resolved configuration (secrets masked in {@code toString()}). */
    public SuhoConfig config() {
        return runtime.config();
    }

    public MeterRegistry meterRegistry() {
        return runtime.meterRegistry();
    }

    /**
     * Where every store call is observed: the registry given to {@link Builder#observationRegistry}, or
     * {@link ObservationRegistry#NOOP}. Code that joins stores (the outbox relay, the event sink) observes its own
     * work on it so that its spans join the same traces.
     */
    public ObservationRegistry observationRegistry() {
        return runtime.observationRegistry();
    }

    /**
     * Every store's health as of its last background check, returned at once: this never waits for a store, so a
     * hung server cannot make a readiness endpoint hang. Each started store is checked on its own interval with its
     * own timeout ({@link HealthKeys}); a check that times out counts as DOWN. {@link SuhoHealth#status()} is the
     * overall view, {@link SuhoHealth#readiness()} the view over {@code suho.health.readiness}. Stores not started
     * (or whose first check is still running) are UNKNOWN.
     */
    public SuhoHealth health() {
        return runtime.health();
    }

    /**
     * Checks one store now, waiting for its probe (bounded by the store's own timeout), and records the result for
     * {@link #health()}; UNKNOWN when its module is absent or not started. For readiness endpoints use
     * {@link #health()}, which never waits.
     */
    public StoreHealth health(Store store) {
        return runtime.health(store);
    }

    /** Each started store's breaker state: CLOSED, HALF_OPEN or OPEN. */
    public Map<Store, String> breakerStates() {
        return runtime.breakerStates();
    }

    /** The version of the endpoint catalog in use, or -1 when none came from the hub or the file. */
    public long endpointVersion() {
        return runtime.endpointVersion();
    }

    /** The hub instance id of this process, or {@code null} when not registered. */
    public String instanceId() {
        return runtime.instanceId();
    }

    @Override
    public void close() {
        runtime.close();
    }

    /**
     * Builds {@link SuhoClients}. Only {@link #serviceName} is required (or {@code SUHO_SERVICE_NAME}); every other
     * setting has a documented key and default (see {@code docs/configuration.md}). Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, String> values = new HashMap<>();
        private final EnumMap<Store, ResilienceConfig> resilience = new EnumMap<>(Store.class);
        private MeterRegistry meterRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private Map<String, String> environment;
        private Properties systemProperties;
        private ClassLoader classLoader;
        private final java.util.List<StoreModule> extraModules = new java.util.ArrayList<>();

        private Builder() {
        }

        /** The name of the application (e.g. {@code order-service}): tags metrics, registers with the hub. */
        public Builder serviceName(String serviceName) {
            return set("suho.service.name", serviceName);
        }

        /** The hub's base URL, e.g. {@code http://suho-central-hub:7000} ({@code SUHO_HUB_URL}). */
        public Builder hub(URI hub) {
            return set("suho.hub.url", Objects.requireNonNull(hub, "hub").toString());
        }

        /**
         * Several hubs sharing one registry ({@code SUHO_HUB_URLS}): the SDK uses the first that answers and moves
         * to the next when it cannot be reached or fails. Wins over {@link #hub(URI)}.
         */
        public Builder hubs(java.util.List<URI> hubs) {
            if (Objects.requireNonNull(hubs, "hubs").isEmpty()) {
                throw new IllegalArgumentException("hubs: expected at least one URL");
            }
            return set("suho.hub.urls", String.join(",", hubs.stream().map(URI::toString).toList()));
        }

        /** The token for registering with the hub ({@code SUHO_HUB_TOKEN} or {@code SUHO_HUB_TOKEN_FILE}). */
        public Builder hubToken(String token) {
            return set("suho.hub.token", token);
        }

        /** How long {@code build()} waits for the hub before falling back to the endpoint file. Default 2 s. */
        public Builder hubTimeout(Duration timeout) {
            return set("suho.hub.timeout", timeout.toMillis() + "ms");
        }

        /**
         * Where meters go. Optional: not called, or called with {@code null} (e.g. an optional bean that is absent),
         * the SDK uses Micrometer's global registry ({@code Metrics.globalRegistry}), which records nothing until your
         * application adds a registry to it.
         */
        public Builder meterRegistry(@Nullable MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Where every store call is observed (Micrometer Observation): one observation per call, retries included,
         * with the keys {@code store}, {@code operation}, {@code outcome} and OpenTelemetry's {@code db.system},
         * {@code db.namespace}, {@code server.address}, {@code messaging.system}, {@code messaging.destination.name}.
         * With a tracing bridge (Micrometer Tracing with Brave or OpenTelemetry) on it, every call is a span and
         * events carry {@code traceparent}. Default: none — nothing is observed and a call costs what it did
         * without (see {@code docs/observability.md}).
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** A store's servers, overriding the hub: {@code "h1:5432,h2:5432"}. */
        public Builder endpoint(Store store, String hosts) {
            return set(StoreKeys.hosts(store), hosts);
        }

        /** A store's user and password. The password is never logged or sent to the hub. */
        public Builder credentials(Store store, String user, String password) {
            if (user != null) {
                set(StoreKeys.user(store), user);
            }
            return set(StoreKeys.password(store), password);
        }

        /** A store's database name. */
        public Builder database(Store store, String database) {
            return set(StoreKeys.database(store), database);
        }

        /** Where the last-known-good endpoints are kept. Default {@code ~/.suho/endpoints/<service>.json}. */
        public Builder endpointCacheFile(Path file) {
            return set("suho.endpoint-cache.file", file.toString());
        }

        /** Start every store module on the classpath in {@code build()} instead of on first use. */
        public Builder eagerStart(boolean eager) {
            return set("suho.eager-start", Boolean.toString(eager));
        }

        /** A store's resilience settings (config keys still apply on top of them). */
        public Builder resilience(Store store, ResilienceConfig config) {
            resilience.put(store, Objects.requireNonNull(config, "config"));
            return this;
        }

        /** Any config key, e.g. {@code set("suho.postgres.pool.max-size", "20")}. */
        public Builder set(String key, String value) {
            Objects.requireNonNull(key, "key");
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
            return this;
        }

        /** Replaces the process environment as a config layer (tests). */
        public Builder environment(Map<String, String> env) {
            this.environment = Map.copyOf(env);
            return this;
        }

        /** Replaces the system properties as a config layer (tests). */
        public Builder systemProperties(Properties props) {
            this.systemProperties = props;
            return this;
        }

        /** Adds a module instance beside those found by ServiceLoader (tests, or modules built in code). */
        public Builder module(StoreModule module) {
            extraModules.add(Objects.requireNonNull(module, "module"));
            return this;
        }

        /** The class loader ServiceLoader searches for store modules. Default: this class's loader. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /**
         * Resolves configuration, contacts the hub (bounded) and, with {@code eagerStart}, starts every store.
         *
         * @throws ConfigurationException naming each missing or invalid key and how to fix it
         */
        public SuhoClients build() {
            ClientRuntime rt = ClientRuntime.start(new ClientRuntime.Settings(Map.copyOf(values),
                    environment != null ? environment : System.getenv(),
                    systemProperties != null ? systemProperties : System.getProperties(),
                    meterRegistry != null ? meterRegistry : Metrics.globalRegistry,
                    new EnumMap<>(resilience),
                    classLoader != null ? classLoader : SuhoClients.class.getClassLoader(),
                    java.util.List.copyOf(extraModules), observationRegistry));
            return new SuhoClients(rt);
        }
    }
}
