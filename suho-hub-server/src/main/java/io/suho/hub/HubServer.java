package io.suho.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.suho.client.core.HealthStatus;
import io.suho.client.core.Store;
import io.suho.client.core.StoreEndpoint;
import io.suho.hub.internal.EndpointPublisher;
import io.suho.hub.internal.GrpcListener;
import io.suho.hub.internal.HealthView;
import io.suho.hub.internal.HubHandler;
import io.suho.hub.internal.InstanceRegistry;
import io.suho.hub.internal.JsonErrorHandler;
import io.suho.hub.internal.ProbeSet;
import io.suho.hub.internal.StatusPage;
import java.net.URI;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running hub: the HTTP API on Jetty (HTTPS only when {@code SUHO_HUB_TLS_KEYSTORE} is set; bound to
 * {@code 127.0.0.1} unless {@code SUHO_HUB_BIND} says otherwise; open connections capped; security headers on every
 * answer), the service registry with its lease reaper, the store probes and the
 * Prometheus registry. Start one with {@link #start(HubConfig)} (the jar's {@link HubMain} does, tests and
 * benchmarks embed it the same way); {@link #close()} stops it gracefully. Thread-safe.
 */
public final class HubServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HubServer.class);

    private final Server jetty;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ProbeSet probes;
    private final InstanceRegistry registry;
    private final EndpointPublisher endpoints;
    private final PrometheusMeterRegistry metrics;
    private final JvmGcMetrics gcMetrics;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile HubConfig config;
    private final int port;
    private final boolean tls;
    /** The gRPC port's server, or {@code null} without {@code SUHO_HUB_GRPC_PORT}. */
    private final GrpcListener grpc;

    private HubServer(HubConfig config, Clock clock) throws Exception {
        this.config = config;
        this.tls = config.tls();
        ObjectMapper json = new ObjectMapper();
        scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "suho-hub-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // two JVM meters break Prometheus naming rules (promtool check metrics): a unit abbreviation in
        // process.cpu.time (ns) and a "_count" suffix on a gauge; expose them under lint-clean names
        metrics.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return switch (id.getName()) {
                    case "system.cpu.count" -> id.withName("system.cpus");
                    default -> id;
                };
            }
        }).meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));

        registry = InstanceRegistry.open(config, clock, metrics);
        Map<Store, StoreEndpoint> catalog = catalogOf(config);
        endpoints = new EndpointPublisher(EndpointPublisher.contentVersion(catalog), catalog, scheduler,
                config.maxWaiters(), config.maxWaitersPerClient());
        probes = new ProbeSet(scheduler, clock, metrics);
        HealthView health = new HealthView(() -> this.config, probes.monitors(), registry, clock, json);

        Gauge.builder("suho.hub.instances", registry, InstanceRegistry::size)
                .description("Service instances holding a lease").register(metrics);
        Gauge.builder("suho.hub.endpoints.version", endpoints, e -> e.current().version())
                .description("Version of the endpoint catalog").register(metrics);
        Gauge.builder("suho.hub.longpoll.waiting", endpoints, EndpointPublisher::waiting)
                .description("Endpoint long-polls currently waiting").register(metrics);
        for (Store s : Store.values()) {
            Gauge.builder("suho.hub.store.up", health, h -> {
                HealthStatus st = h.state(s).status();
                return st == HealthStatus.UP || st == HealthStatus.DEGRADED ? 1 : 0;
            }).description("1 when the hub's probe sees the store up (UNKNOWN and DOWN are 0)")
                    .tag("store", s.id()).register(metrics);
            Gauge.builder("suho.hub.client.breaker.open", health, h -> h.clientViews().get(s).breakerOpen())
                    .description("Instances whose last heartbeat reported this store's breaker OPEN")
                    .tag("store", s.id()).register(metrics);
        }

        long reapMs = config.reaperInterval().toMillis();
        scheduler.scheduleWithFixedDelay(registry::reap, reapMs, reapMs, TimeUnit.MILLISECONDS);

        HubHandler.Deps deps = new HubHandler.Deps(registry, endpoints, health,
                new StatusPage(health, registry, clock), metrics, config.token().orElse(null),
                config.maxBodyBytes(), config.defaultTtlSeconds(), config.maxTtlSeconds(), config.maxWaitSeconds(),
                () -> !closed.get() && health.probedOnce(), config.readToken().orElse(null),
                config.idleTimeout().toMillis(), config.tls(), config.tlsClientCa().isPresent(),
                config.previousToken().orElse(null));
        HubHandler handler = new HubHandler(deps, json);

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        // the handler answers most requests on the selector thread that read them (HubHandler), so one selector
        // per core (up to 4) is the hub's request parallelism; the pool serves bodies, pages and slow routes
        int selectors = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        threads.setName("suho-hub-http");
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector;
        if (config.tls()) {
            // HTTPS only on the port: a token or a catalog never crosses the network in clear
            http.addCustomizer(new SecureRequestCustomizer());
            SslContextFactory.Server tls = new SslContextFactory.Server();
            if (config.tlsKeystore().isPresent()) {
                tls.setKeyStorePath(config.tlsKeystore().get().toString());
                tls.setKeyStoreType("PKCS12");
                tls.setKeyStorePassword(config.tlsKeystorePassword().orElseThrow().reveal());
            } else {
                // PEM certificate + key, sealed in memory under a random one-off password
                String sealed = java.util.UUID.randomUUID().toString();
                tls.setKeyStore(PemKeys.keyStore(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow(),
                        sealed.toCharArray()));
                tls.setKeyStorePassword(sealed);
            }
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            if (config.tlsClientCa().isPresent()) {
                // asked of every client, required by registrations only (HubHandler): reads stay open to
                // clients without a certificate
                tls.setTrustStore(ClientCertificates.trustStore(config.tlsClientCa().get()));
                tls.setWantClientAuth(true);
            }
            connector = new ServerConnector(jetty, 1, selectors, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, 1, selectors, new HttpConnectionFactory(http));
        }
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        // short for ordinary requests; a waiting long-poll raises its own connection's timeout for its wait
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        jetty.addConnector(connector);
        // beyond this many open connections the hub stops accepting (they wait in the backlog) instead of
        // running out of memory or file descriptors
        jetty.addBean(new NetworkConnectionLimit(config.maxConnections(), connector));
        GracefulHandler graceful = new GracefulHandler(handler);
        // a fixed handler tree: Jetty then takes the handler's NON_BLOCKING invocation type instead of assuming
        // a blocking one, and runs it on the I/O thread
        graceful.setDynamic(false);
        jetty.setHandler(graceful);
        jetty.setDynamic(false);
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setStopTimeout(5000);
        jetty.setStopAtShutdown(false);
        try {
            jetty.start();
        } catch (Exception e) {
            probes.close();
            scheduler.shutdownNow();
            throw e;
        }
        port = connector.getLocalPort();
        try {
            // the gRPC API (off unless SUHO_HUB_GRPC_PORT is set) serves from the same registry, tokens and TLS
            grpc = config.grpcPort().isPresent() ? GrpcListener.start(deps, config.bindHost(),
                    config.grpcPort().getAsInt(), GrpcTls.credentials(config), scheduler) : null;
        } catch (Exception e) {
            jetty.stop();
            probes.close();
            scheduler.shutdownNow();
            throw e;
        }
        // the JVM meters (JMX: ~50 ms of class loading) and the probes (driver class loading) start after the
        // listener: they must not delay the hub's first answer; both are in place when start() returns
        new JvmMemoryMetrics().bindTo(metrics);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        new FileDescriptorMetrics().bindTo(metrics);
        probes.apply(config);
    }

    /** Starts a hub; returns once it accepts connections (probes run in the background). */
    public static HubServer start(HubConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    /** Starts a hub with a given clock (leases and timestamps use it). */
    public static HubServer start(HubConfig config, Clock clock) throws Exception {
        return new HubServer(config, clock);
    }

    /** The endpoint catalog a config describes: hosts, database names, TLS flags — never credentials. */
    static Map<Store, StoreEndpoint> catalogOf(HubConfig config) {
        Map<Store, StoreEndpoint> out = new EnumMap<>(Store.class);
        config.targets().forEach((s, t) -> out.put(s, new StoreEndpoint(t.hosts(), t.database(), t.tls(),
                StoreTargets.endpointProperties(config, s))));
        return out;
    }

    /**
     * Applies a new configuration's stores: publishes the new endpoints (waking long-polls when they changed)
     * and re-targets the probes of stores whose address or credentials changed. Port, token and limits keep the
     * values the hub started with.
     */
    public void reconfigure(HubConfig next) {
        this.config = next;
        long before = endpoints.current().version();
        long after = endpoints.publish(catalogOf(next)).version();
        probes.apply(next);
        if (after != before) {
            log.info("endpoints changed: version {} -> {}", before, after);
        }
    }

    /** The port the hub listens on (useful when configured with 0). */
    public int port() {
        return port;
    }

    /**
     * {@code http://127.0.0.1:<port>}, or {@code https://} when the hub serves TLS (the bind host when it is not a
     * wildcard).
     */
    public URI uri() {
        String host = config.bindHost();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return URI.create((tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + port);
    }

    /** The gRPC port listened on; empty when the hub serves no gRPC ({@code SUHO_HUB_GRPC_PORT} unset). */
    public java.util.OptionalInt grpcPort() {
        return grpc == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(grpc.port());
    }

    /** The current endpoint catalog version. */
    public long endpointsVersion() {
        return endpoints.current().version();
    }

    /** Drops an instance as a restarted hub would have (for tests of the SDK's re-registration). */
    void forget(String instanceId) {
        registry.deregister(instanceId);
    }

    /** Instances currently holding a lease. */
    public int instances() {
        return registry.size();
    }

    /** Stops accepting requests, ends waiting long-polls, lets in-flight requests finish (≤ 5 s), stops probes. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (grpc != null) {
            grpc.close(); // health NOT_SERVING, watch streams end UNAVAILABLE, calls in flight finish
        }
        endpoints.releaseAll();
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("stopping the HTTP server: {}", e.toString());
        }
        probes.close();
        scheduler.shutdownNow();
        registry.close();
        gcMetrics.close();
        metrics.close();
        log.info("hub stopped");
    }
}
