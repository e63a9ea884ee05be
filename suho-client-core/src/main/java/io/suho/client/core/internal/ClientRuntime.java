package io.suho.client.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.SuhoException;
import io.suho.client.core.SuhoHealth;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreModule;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code SuhoClients} is made of: resolved config, discovered store modules and their lazily started runtimes,
 * the hub session (endpoints, registration, heartbeats, optional long-poll) and orderly shutdown.
 */
public final class ClientRuntime {
    private static final Logger log = LoggerFactory.getLogger(ClientRuntime.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything the builder collected. */
    public record Settings(Map<String, String> values, Map<String, String> env, Properties system,
            MeterRegistry registry, EnumMap<Store, ResilienceConfig> resilience, ClassLoader classLoader,
            List<StoreModule> extraModules) {
    }

    /** Keys of the SDK itself. */
    public static final List<ConfigKey<?>> CORE_KEYS = ClientKeys.ALL;

    private final String serviceName;
    private final MeterRegistry registry;
    private final Map<Store, ResilienceConfig> resilienceOverrides;
    private final Map<Store, StoreModule> modules;
    private final Map<Class<?>, StoreModule> byType;
    private final Map<Store, Started> started = Collections.synchronizedMap(new EnumMap<>(Store.class));
    private final List<Store> startOrder = new CopyOnWriteArrayList<>();
    private final List<Runnable> endpointListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile SuhoConfig config;
    private volatile long endpointVersion = -1;
    private volatile String instanceId;
    private HubClient hub;
    private EndpointCacheFile cacheFile;

    private record Started(StartedStore runtime, CallPipeline executor) {
    }

    private ClientRuntime(Settings s, SuhoConfig config, Map<Store, StoreModule> modules,
            Map<Class<?>, StoreModule> byType) {
        this.config = config;
        this.serviceName = validServiceName(config);
        this.registry = s.registry();
        this.resilienceOverrides = s.resilience();
        this.modules = modules;
        this.byType = byType;
        ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "suho-" + serviceName + "-background");
            t.setDaemon(true);
            return t;
        });
        ses.setRemoveOnCancelPolicy(true);
        this.scheduler = ses;
    }

    public static ClientRuntime start(Settings s) {
        Map<Store, StoreModule> modules = new EnumMap<>(Store.class);
        Map<Class<?>, StoreModule> byType = new LinkedHashMap<>();
        List<StoreModule> found = new ArrayList<>();
        try {
            ServiceLoader.load(StoreModule.class, s.classLoader()).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException("classpath", "a Suho store module on the classpath cannot be loaded: "
                    + e.getMessage() + "; fix: align all io.suho artifacts with io.suho:suho-bom", e);
        }
        found.addAll(s.extraModules());
        for (StoreModule m : found) {
            StoreModule previous = modules.putIfAbsent(m.store(), m);
            if (previous != null && previous.getClass() != m.getClass()) {
                log.warn("two modules serve {}: {} and {}; using the first", m.store(), previous.getClass().getName(),
                        m.getClass().getName());
                continue;
            }
            for (Class<?> type : m.clientTypes()) {
                byType.putIfAbsent(type, m);
            }
        }
        List<ConfigKey<?>> keys = new ArrayList<>(CORE_KEYS);
        for (StoreModule m : modules.values()) {
            keys.addAll(StoreKeys.common(m.store()));
            keys.addAll(m.configKeys());
        }
        SuhoConfig config = SuhoConfig.create(s.values(), s.system(), s.env(), keys);
        ClientRuntime rt = new ClientRuntime(s, config, modules, byType);
        try {
            rt.validate();
            rt.connectHub();
            if (config.get(ClientKeys.EAGER_START)) {
                for (Store store : modules.keySet()) {
                    rt.ensureStarted(store);
                }
            }
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
        return rt;
    }

    private static String validServiceName(SuhoConfig config) {
        return config.get(ClientKeys.SERVICE_NAME);
    }

    /** Fails fast on invalid values of keys that are set, before any connection is opened. */
    private void validate() {
        for (ConfigKey<?> key : ClientKeys.ALL) {
            config.optional(key);
        }
        for (Store store : modules.keySet()) {
            resilienceFor(store);
            config.optional(StoreKeys.hostsKey(store));
            config.get(StoreKeys.tlsKey(store));
        }
    }

    private ResilienceConfig resilienceFor(Store store) {
        ResilienceConfig base = resilienceOverrides.getOrDefault(store, modules.get(store).defaultResilience());
        return ResilienceConfig.fromConfig(config, store, base);
    }

    // ---------------------------------------------------------------- hub session

    private void connectHub() {
        Path file = config.optional(ClientKeys.ENDPOINT_CACHE_FILE).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".suho", "endpoints", serviceName + ".json"));
        cacheFile = new EndpointCacheFile(file);
        URI url = config.optional(ClientKeys.HUB_URL).orElse(null);
        if (url == null) {
            log.debug("no hub configured (suho.hub.url / SUHO_HUB_URL); endpoints come from local config only");
            return;
        }
        Duration timeout = config.get(ClientKeys.HUB_TIMEOUT);
        Secret token = config.optional(ClientKeys.HUB_TOKEN).orElse(null);
        hub = new HubClient(url, token, timeout);
        try {
            EndpointCatalog catalog = hub.endpoints(timeout);
            applyCatalog(catalog, true);
            log.info("endpoints version {} from hub {} for stores {}", catalog.version(), hub.base(),
                    catalog.stores().keySet());
        } catch (IOException | RuntimeException e) {
            fallBackToFile(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SuhoException("interrupted while asking the hub for endpoints", e);
        }
        if (token != null) {
            registerAndHeartbeat();
        } else {
            log.info("no hub token (suho.hub.token / SUHO_HUB_TOKEN): this instance does not register with the hub");
        }
        if (config.get(ClientKeys.HUB_WATCH)) {
            Thread watcher = new Thread(this::watchEndpoints, "suho-" + serviceName + "-endpoint-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private void fallBackToFile(Exception hubFailure) {
        String reason = hubFailure.getClass().getSimpleName()
                + (hubFailure.getMessage() == null ? "" : ": " + hubFailure.getMessage());
        try {
            var stored = cacheFile.read();
            if (stored.isPresent()) {
                config = config.withRemoteLayers(Map.of(), stored.get().toConfig());
                endpointVersion = stored.get().version();
                log.warn("hub {} unreachable ({}); using last-known-good endpoints version {} from {}", hub.base(),
                        reason, stored.get().version(), cacheFile.path());
                return;
            }
        } catch (IOException e) {
            log.warn("cannot read endpoint file {}: {}", cacheFile.path(), e.getMessage());
        }
        List<String> missing = new ArrayList<>();
        for (Store store : modules.keySet()) {
            String key = StoreKeys.hosts(store);
            if (config.get(key).isEmpty()) {
                missing.add(key + " (" + config.howToSet(key).replace("set the environment variable ", "env ") + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(String.join(",", missing.stream().map(m -> m.substring(0, m.indexOf(' ')))
                    .toList()), "cannot resolve endpoints: hub " + hub.base() + " is unreachable (" + reason
                    + "), there is no last-known-good endpoint file at " + cacheFile.path()
                    + ", and these are not configured otherwise: " + String.join("; ", missing));
        }
        log.warn("hub {} unreachable ({}) and no endpoint file at {}; every store is configured locally, continuing",
                hub.base(), reason, cacheFile.path());
    }

    private void applyCatalog(EndpointCatalog catalog, boolean writeFile) {
        config = config.withRemoteLayers(catalog.toConfig(), Map.of());
        endpointVersion = catalog.version();
        if (writeFile) {
            try {
                cacheFile.write(catalog);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot write endpoint file {}: {}", cacheFile.path(), e.toString());
            }
        }
    }

    private void registerAndHeartbeat() {
        Duration interval = config.get(ClientKeys.HEARTBEAT_INTERVAL);
        register();
        scheduler.scheduleWithFixedDelay(this::heartbeat, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void register() {
        Duration timeout = config.get(ClientKeys.HUB_TIMEOUT);
        int ttl = (int) Math.max(1, config.get(ClientKeys.LEASE_TTL).toSeconds());
        try {
            String host = config.optional(ClientKeys.INSTANCE_HOST).orElseGet(ClientRuntime::localHost);
            instanceId = hub.register(serviceName, host, config.get(ClientKeys.INSTANCE_PORT), ttl,
                    Map.of("sdk", "suho-java"), timeout);
            log.info("registered with hub {} as instance {}", hub.base(), instanceId);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot register with hub {}: {} (will retry with the next heartbeat)", hub.base(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The heartbeat: each started store's breaker state and error rate since the last heartbeat. */
    Heartbeat heartbeatBody() {
        Map<Store, Heartbeat.StoreReport> stores = new EnumMap<>(Store.class);
        synchronized (started) {
            started.forEach((store, s) -> {
                long[] counts = s.executor().drainCounts();
                stores.put(store, new Heartbeat.StoreReport(s.executor().breakerState(), counts[0],
                        counts[0] == 0 ? 0.0 : (double) counts[1] / counts[0]));
            });
        }
        return new Heartbeat(stores);
    }

    private void heartbeat() {
        if (closed.get()) {
            return;
        }
        try {
            if (instanceId == null) {
                register();
                return;
            }
            Duration timeout = config.get(ClientKeys.HUB_TIMEOUT);
            if (!hub.heartbeat(instanceId, heartbeatBody(), timeout)) {
                log.info("hub no longer knows instance {}; registering again", instanceId);
                instanceId = null;
                register();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("heartbeat to hub failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watchEndpoints() {
        long backoffMs = 500;
        while (!closed.get()) {
            try {
                var changed = hub.awaitChange(endpointVersion, 30);
                backoffMs = 500;
                if (changed.isPresent()) {
                    applyCatalog(changed.get(), true);
                    log.info("endpoints changed to version {}", changed.get().version());
                    endpointListeners.forEach(l -> {
                        try {
                            l.run();
                        } catch (RuntimeException e) {
                            log.warn("endpoint change listener failed: {}", e.toString());
                        }
                    });
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.debug("endpoint long-poll failed: {}", e.toString());
                try {
                    Thread.sleep(backoffMs); // back off between failed polls of a down hub
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
        }
    }

    // ---------------------------------------------------------------- stores

    public <T> T client(Class<T> type) {
        if (closed.get()) {
            throw new IllegalStateException("SuhoClients is closed");
        }
        StoreModule m = byType.get(type);
        if (m == null) {
            for (Map.Entry<Class<?>, StoreModule> e : byType.entrySet()) {
                if (type.isAssignableFrom(e.getKey())) {
                    m = e.getValue();
                    break;
                }
            }
        }
        if (m == null) {
            throw new ConfigurationException("classpath", missingModuleMessage(type));
        }
        return ensureStarted(m.store()).runtime().client(type);
    }

    static String missingModuleMessage(Class<?> type) {
        String pkg = type.getPackageName();
        String artifact = null;
        if (pkg.startsWith("io.suho.client.")) {
            String seg = pkg.substring("io.suho.client.".length()).split("\\.")[0];
            artifact = "suho-client-" + seg;
        }
        return type.getSimpleName() + " is not provided by any Suho module on the classpath"
                + (artifact == null ? "" : "; fix: add the Maven dependency io.suho:" + artifact
                        + " (version managed by io.suho:suho-bom)");
    }

    private Started ensureStarted(Store store) {
        Started s = started.get(store);
        if (s != null) {
            return s;
        }
        StoreModule m = modules.get(store);
        synchronized (m) {
            s = started.get(store);
            if (s != null) {
                return s;
            }
            ResilienceConfig rc = resilienceFor(store);
            CallPipeline executor = new CallPipeline(store, serviceName, registry, rc, scheduler);
            StartedStore runtime;
            try {
                runtime = m.start(new Context(store, rc, executor));
                if (runtime == null) {
                    throw new IllegalStateException(m.getClass().getName() + ".start returned null");
                }
                executor.policy(runtime.failurePolicy());
            } catch (SuhoException e) {
                executor.close();
                throw e;
            } catch (Exception e) {
                executor.close();
                throw new SuhoException("cannot start the " + store.id() + " client: " + e, e);
            }
            s = new Started(runtime, executor);
            started.put(store, s);
            startOrder.add(store);
            log.info("{} client started ({})", store.id(), rc);
            return s;
        }
    }

    private final class Context implements StoreContext {
        private final Store store;
        private final ResilienceConfig resilience;
        private final CallPipeline executor;

        Context(Store store, ResilienceConfig resilience, CallPipeline executor) {
            this.store = store;
            this.resilience = resilience;
            this.executor = executor;
        }

        @Override
        public String serviceName() {
            return serviceName;
        }

        @Override
        public Store store() {
            return store;
        }

        @Override
        public SuhoConfig config() {
            return config;
        }

        @Override
        public MeterRegistry meterRegistry() {
            return registry;
        }

        @Override
        public ResilienceConfig resilience() {
            return resilience;
        }

        @Override
        public StoreExecutor executor() {
            return executor;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public <T> T client(Class<T> type) {
            return ClientRuntime.this.client(type);
        }

        @Override
        public void onEndpointsChanged(Runnable callback) {
            endpointListeners.add(callback);
        }
    }

    // ---------------------------------------------------------------- health, accessors, close

    public SuhoHealth health() {
        Map<Store, StoreHealth> out = new EnumMap<>(Store.class);
        for (Store store : modules.keySet()) {
            out.put(store, health(store));
        }
        return SuhoHealth.of(out);
    }

    public StoreHealth health(Store store) {
        Started s = started.get(store);
        if (s == null) {
            return StoreHealth.unknown(store, modules.containsKey(store) ? "not started (starts on first use)"
                    : "module " + store.artifactId() + " is not on the classpath");
        }
        return probe(store, s);
    }

    /** Runs the store's probe, times it, adds the breaker state, and tells the breaker when the store answered. */
    private static StoreHealth probe(Store store, Started s) {
        long start = System.nanoTime();
        ProbeResult result;
        try {
            result = s.runtime().probe();
        } catch (Exception e) {
            result = ProbeResult.down(e, Map.of());
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        if (result == null) {
            result = ProbeResult.down("the " + store.id() + " module's probe returned nothing", Map.of());
        }
        Map<String, Object> detail = new LinkedHashMap<>(result.detail());
        if (result.status() == HealthStatus.UP) {
            s.executor().recordHealthy();
        }
        detail.put("breaker", s.executor().breakerState());
        String error = result.message();
        if (result.failure() != null) {
            String described = s.executor().classify(result.failure()).describe();
            error = error == null ? described : error + ": " + described;
        }
        return new StoreHealth(store, result.status(), latency, null, error, detail);
    }

    /** Runs {@code call} through {@code store}'s pipeline (starting its module on first use). */
    public <T> T execute(Store store, String operation, boolean idempotent, java.util.concurrent.Callable<T> call) {
        if (closed.get()) {
            throw new IllegalStateException("SuhoClients is closed");
        }
        if (!modules.containsKey(store)) {
            throw new ConfigurationException("classpath", "no Suho module for " + store.id()
                    + " is on the classpath; fix: add the Maven dependency io.suho:" + store.artifactId()
                    + " (version managed by io.suho:suho-bom)");
        }
        return ensureStarted(store).executor().call(operation, idempotent, call::call);
    }

    public Map<Store, String> breakerStates() {
        Map<Store, String> out = new EnumMap<>(Store.class);
        synchronized (started) {
            started.forEach((store, s) -> out.put(store, s.executor().breakerState()));
        }
        return out;
    }

    public String serviceName() {
        return serviceName;
    }

    public SuhoConfig config() {
        return config;
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    public long endpointVersion() {
        return endpointVersion;
    }

    public String instanceId() {
        return instanceId;
    }

    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration budget = config.get(ClientKeys.CLOSE_TIMEOUT);
        long deadline = System.nanoTime() + budget.toNanos();
        // Let a heartbeat in flight finish (briefly) rather than interrupting it: an HTTP exchange cut off mid-way can
        // leave the deregistration below without a usable connection to the hub.
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(Math.min(500, budget.toMillis() / 4), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        if (hub != null && instanceId != null) {
            try {
                hub.deregister(instanceId, Duration.ofMillis(Math.min(1000, budget.toMillis() / 4)));
            } catch (IOException | RuntimeException e) {
                log.info("deregistration from hub {} failed ({}); the hub expires the lease", hub.base(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Store> order = new ArrayList<>(startOrder);
        Collections.reverse(order);
        ExecutorService closer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "suho-" + serviceName + "-close");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Store store : order) {
                Started s = started.get(store);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("close timeout {} reached; {} not closed", budget, store.id());
                    continue;
                }
                Future<?> f = closer.submit(s.runtime()::close);
                try {
                    f.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    log.warn("closing {} took longer than the close timeout {}; abandoned", store.id(), budget);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    log.warn("closing {} failed: {}", store.id(), e.getCause().toString());
                }
            }
        } finally {
            closer.shutdownNow();
            started.values().forEach(s -> s.executor().close());
            started.clear();
        }
    }
}
