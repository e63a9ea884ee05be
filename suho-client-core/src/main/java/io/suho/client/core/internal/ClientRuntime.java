package io.suho.client.core.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.SuhoHealth;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.spi.StoreModule;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What {@code SuhoClients} is made of, and the order things happen in: the {@link ModuleRegistry} (modules found,
 * keys known, configuration checked), the {@link HubSession} (endpoints, registration, heartbeats, long-poll) and
 * the {@link StoreLifecycle} (lazy start, health, close), sharing one background scheduler. {@link #start} runs
 * {@code build()}'s steps; {@link #close} undoes them in reverse. Thread-safe.
 */
public final class ClientRuntime {

    /** Everything the builder collected. */
    public record Settings(Map<String, String> values, Map<String, String> env, Properties system,
            MeterRegistry registry, EnumMap<Store, ResilienceConfig> resilience, ClassLoader classLoader,
            List<StoreModule> extraModules, ObservationRegistry observations) {

        /** Settings without an {@code ObservationRegistry} (nothing observed). */
        public Settings(Map<String, String> values, Map<String, String> env, Properties system,
                MeterRegistry registry, EnumMap<Store, ResilienceConfig> resilience, ClassLoader classLoader,
                List<StoreModule> extraModules) {
            this(values, env, system, registry, resilience, classLoader, extraModules, ObservationRegistry.NOOP);
        }
    }

    private final String serviceName;
    private final MeterRegistry registry;
    private final ObservationRegistry observations;
    private final ScheduledExecutorService scheduler;
    private final HubSession hub;
    private final StoreLifecycle stores;

    private ClientRuntime(Settings s, SuhoConfig config, ModuleRegistry modules) {
        this.serviceName = config.get(ClientKeys.SERVICE_NAME);
        this.registry = s.registry();
        ScheduledThreadPoolExecutor ses = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "suho-" + serviceName + "-background");
            t.setDaemon(true);
            return t;
        });
        ses.setRemoveOnCancelPolicy(true);
        this.scheduler = ses;
        this.hub = new HubSession(serviceName, config, scheduler, this::heartbeat, s.classLoader());
        this.observations = s.observations() == null ? ObservationRegistry.NOOP : s.observations();
        this.stores = new StoreLifecycle(serviceName, registry, observations, modules, hub::config, scheduler,
                hub::onEndpointsChanged);
    }

    /**
     * {@code build()}: finds the modules, resolves and checks the configuration (the SDK's keys, every store's
     * shared and resilience keys, unknown {@code suho.*} keys), asks the hub for endpoints, runs every module's
     * {@link StoreModule#validate} on the result, and with eager start starts every store.
     *
     * @throws io.suho.client.core.ConfigurationException naming each missing or invalid key and how to fix it
     */
    public static ClientRuntime start(Settings s) {
        ModuleRegistry modules = ModuleRegistry.discover(s.classLoader(), s.extraModules(), s.resilience());
        SuhoConfig config = SuhoConfig.create(s.values(), s.system(), s.env(), modules.knownKeys());
        ClientRuntime rt = new ClientRuntime(s, config, modules);
        try {
            modules.validateLocal(config);
            modules.warnAboutUnknownKeys(config);
            rt.hub.connect(modules.stores());
            modules.validateModules(rt.hub.config());
            if (config.get(ClientKeys.EAGER_START)) {
                rt.stores.startAll();
            }
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
        return rt;
    }

    private Heartbeat heartbeat() {
        return stores.heartbeat();
    }

    public <T> T client(Class<T> type) {
        return stores.client(type);
    }

    /** Runs {@code call} through {@code store}'s pipeline (starting its module on first use). */
    public <T> T execute(Store store, String operation, boolean idempotent, Callable<T> call) {
        return stores.execute(store, operation, idempotent, call);
    }

    public SuhoHealth health() {
        return stores.health();
    }

    public StoreHealth health(Store store) {
        return stores.health(store);
    }

    public Map<Store, String> breakerStates() {
        return stores.breakerStates();
    }

    public String serviceName() {
        return serviceName;
    }

    public SuhoConfig config() {
        return hub.config();
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    public ObservationRegistry observationRegistry() {
        return observations;
    }

    public long endpointVersion() {
        return hub.endpointVersion();
    }

    public String instanceId() {
        return hub.instanceId();
    }

    /**
     * Stops heartbeats (letting one in flight finish briefly), deregisters from the hub, then closes the stores in
     * reverse start order, all within {@code suho.close-timeout}. Idempotent.
     */
    public void close() {
        if (!stores.beginClose()) {
            return;
        }
        hub.stop();
        Duration budget = hub.config().get(ClientKeys.CLOSE_TIMEOUT);
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
        hub.deregister(Duration.ofMillis(Math.min(1000, budget.toMillis() / 4)));
        stores.closeStores(budget, deadline);
    }
}
