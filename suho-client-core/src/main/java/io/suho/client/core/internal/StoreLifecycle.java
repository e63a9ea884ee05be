package io.suho.client.core.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HealthKeys;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreHealth;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.SuhoException;
import io.suho.client.core.SuhoHealth;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.core.spi.StoreModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of each store of one {@code SuhoClients}: started once, on first use (or all at {@code build()} with
 * eager start), each with its own {@link CallPipeline}; checked for health in the background by the
 * {@link HealthMonitor} from its start on; reported in heartbeats; closed in
 * reverse start order within the close budget. After {@link #beginClose()} every request for a client or a call
 * fails with {@link IllegalStateException}. Thread-safe: a store starts at most once however many threads ask.
 */
final class StoreLifecycle {
    private static final Logger log = LoggerFactory.getLogger(StoreLifecycle.class);

    private final String serviceName;
    private final MeterRegistry registry;
    private final ModuleRegistry modules;
    private final Supplier<SuhoConfig> config;
    private final ScheduledExecutorService scheduler;
    private final Consumer<Runnable> endpointListeners;
    private final Map<Store, Started> started = Collections.synchronizedMap(new EnumMap<>(Store.class));
    private final List<Store> startOrder = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HealthMonitor monitor;
    private final ObservationRegistry observations;

    private record Started(StartedStore runtime, CallPipeline executor) {
    }

    /**
     * @param config the latest resolved configuration (it changes when the hub sends new endpoints)
     * @param endpointListeners where a module's {@link StoreContext#onEndpointsChanged} callbacks go
     */
    StoreLifecycle(String serviceName, MeterRegistry registry, ModuleRegistry modules, Supplier<SuhoConfig> config,
            ScheduledExecutorService scheduler, Consumer<Runnable> endpointListeners) {
        this(serviceName, registry, null, modules, config, scheduler, endpointListeners);
    }

    /** @param observations where store calls are observed, or {@code null} for none */
    StoreLifecycle(String serviceName, MeterRegistry registry, ObservationRegistry observations,
            ModuleRegistry modules, Supplier<SuhoConfig> config, ScheduledExecutorService scheduler,
            Consumer<Runnable> endpointListeners) {
        this.observations = observations;
        this.serviceName = serviceName;
        this.registry = registry;
        this.modules = modules;
        this.config = config;
        this.scheduler = scheduler;
        this.endpointListeners = endpointListeners;
        this.monitor = new HealthMonitor(serviceName);
    }

    /** The client of {@code type}, starting its store on first use. */
    <T> T client(Class<T> type) {
        checkOpen();
        StoreModule m = modules.forType(type)
                .orElseThrow(() -> new ConfigurationException("classpath", ModuleRegistry.missingModuleMessage(type)));
        return ensureStarted(m.store()).runtime().client(type);
    }

    /** Runs {@code call} through {@code store}'s pipeline (starting its module on first use). */
    <T> T execute(Store store, String operation, boolean idempotent, Callable<T> call) {
        checkOpen();
        if (!modules.has(store)) {
            throw ModuleRegistry.missingStoreModule(store);
        }
        return ensureStarted(store).executor().call(operation, idempotent, call::call);
    }

    /** Starts every store that has a module (eager start). */
    void startAll() {
        for (Store store : modules.stores()) {
            ensureStarted(store);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("SuhoClients is closed");
        }
    }

    private Started ensureStarted(Store store) {
        Started s = started.get(store);
        if (s != null) {
            return s;
        }
        StoreModule m = modules.module(store);
        synchronized (m) {
            s = started.get(store);
            if (s != null) {
                return s;
            }
            ResilienceConfig rc = modules.resilience(store, config.get());
            CallPipeline executor = new CallPipeline(store, serviceName, registry, rc, scheduler, observations,
                    config.get());
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
            Started watched = s;
            SuhoConfig cfg = config.get();
            monitor.watch(store, () -> probe(store, watched), cfg.get(HealthKeys.interval(store)),
                    cfg.get(HealthKeys.timeout(store)));
            log.info("{} client started ({})", store.id(), rc);
            return s;
        }
    }

    /** What a module sees of the SDK while it starts and runs. */
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
            return config.get();
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
            return StoreLifecycle.this.client(type);
        }

        @Override
        public void onEndpointsChanged(Runnable callback) {
            endpointListeners.accept(callback);
        }
    }

    // ---------------------------------------------------------------- health and heartbeats

    /**
     * Every store's last background check, at once (never waits for a store); stores not started are UNKNOWN, and
     * so is a started store whose first check has not finished yet. Readiness uses {@code suho.health.readiness}.
     */
    SuhoHealth health() {
        Map<Store, StoreHealth> out = new EnumMap<>(Store.class);
        for (Store store : modules.stores()) {
            StoreHealth last = monitor.last(store);
            out.put(store, last != null ? last : notStarted(store));
        }
        return SuhoHealth.of(out, config.get().get(HealthKeys.READINESS));
    }

    /** Checks one store now (bounded by its probe's own timeout) and records the result for {@link #health()}. */
    StoreHealth health(Store store) {
        Started s = started.get(store);
        if (s == null) {
            return notStarted(store);
        }
        StoreHealth h = probe(store, s);
        monitor.record(h);
        return h;
    }

    private StoreHealth notStarted(Store store) {
        return StoreHealth.unknown(store, modules.has(store) ? "not started (starts on first use)"
                : "module " + store.artifactId() + " is not on the classpath");
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

    Map<Store, String> breakerStates() {
        Map<Store, String> out = new EnumMap<>(Store.class);
        synchronized (started) {
            started.forEach((store, s) -> out.put(store, s.executor().breakerState()));
        }
        return out;
    }

    /** The heartbeat: each started store's breaker state and error rate since the last heartbeat. */
    Heartbeat heartbeat() {
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

    // ---------------------------------------------------------------- close

    /** Refuses new clients and calls from now on; false when close had begun already. */
    boolean beginClose() {
        boolean first = closed.compareAndSet(false, true);
        if (first) {
            monitor.close();
        }
        return first;
    }

    /** Closes the started stores in reverse start order, abandoning any still closing at {@code deadline}. */
    void closeStores(Duration budget, long deadline) {
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
                } catch (ExecutionException e) {
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
