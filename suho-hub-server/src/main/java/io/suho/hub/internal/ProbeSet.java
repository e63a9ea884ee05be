package io.suho.hub.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.suho.client.core.Store;
import io.suho.hub.HubConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hub's store monitors: one {@link StoreMonitor} per configured store, all running on a small shared worker
 * pool (one thread per store at most, so one hanging store cannot starve the others). {@link #apply} swaps the
 * monitors of stores whose target changed. Thread-safe.
 */
public final class ProbeSet implements AutoCloseable {
    private final Map<Store, StoreMonitor> monitors = new ConcurrentHashMap<>();
    private final Map<Store, HubConfig.Target> targets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    /** Built by the first HTTP probe: its TLS setup (trust store) costs ~0.1-0.2 s the hub's start need not wait for. */
    private HttpClient http;
    private final Clock clock;
    private final MeterRegistry registry;

    public ProbeSet(ScheduledExecutorService scheduler, Clock clock, MeterRegistry registry) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.registry = registry;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(Store.values().length, Store.values().length, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "suho-hub-probe-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                    .version(HttpClient.Version.HTTP_1_1).executor(workers).build();
        }
        return http;
    }

    public Map<Store, StoreMonitor> monitors() {
        return monitors;
    }

    /** Starts, replaces or stops monitors so they match {@code config}. */
    public synchronized void apply(HubConfig config) {
        for (Store s : Store.values()) {
            HubConfig.Target t = config.targets().get(s);
            HubConfig.Target old = targets.get(s);
            StoreMonitor current = monitors.get(s);
            boolean same = Objects.equals(t, old) && current != null
                    && current.settings().equals(config.probe(s));
            if (same) {
                continue;
            }
            if (current != null) {
                monitors.remove(s);
                targets.remove(s);
                current.close();
            }
            if (t != null) {
                StoreMonitor m = new StoreMonitor(s, probeFor(t, config), config.probe(s), config.secrets(), clock,
                        registry);
                targets.put(s, t);
                monitors.put(s, m);
                m.start(scheduler, workers);
            }
        }
    }

    private Probe probeFor(HubConfig.Target t, HubConfig config) {
        return switch (t.store()) {
            case POSTGRES -> new PostgresProbe(t, config.postgresSslMode(), config.postgresSslRootCert());
            case CACHE -> new RedisProbe(t);
            case KAFKA -> new KafkaProbe(t);
            case ANALYTICS, VECTOR, GRAPH, NATS -> new HttpProbe(t, http());
        };
    }

    @Override
    public void close() {
        monitors.values().forEach(StoreMonitor::close);
        monitors.clear();
        workers.shutdownNow();
    }
}
