package io.suho.client.core.internal;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.EndpointCatalog;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.core.SuhoException;
import io.suho.client.core.hub.Heartbeat;
import io.suho.client.core.hub.HubLease;
import io.suho.client.core.hub.HubRegistration;
import io.suho.client.core.hub.HubTransport;
import io.suho.client.core.hub.HubTransportProvider;
import io.suho.client.core.hub.HubTransportSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's conversation with the hub, and the configuration it shapes: endpoints once at {@code build()}
 * (bounded by {@code suho.hub.timeout}, falling back to the last-known-good file), registration and heartbeats on
 * the shared scheduler when a token is set, the optional long-poll for endpoint changes, and deregistration at
 * close. Several hubs ({@code suho.hub.urls}, which wins over {@code suho.hub.url}) are one
 * {@link FailoverHubTransport}; the wire protocol is the {@link HubTransportProvider} that {@code suho.hub.transport}
 * names. Without a hub URL it only holds the local configuration. {@link #config()} is always the latest
 * resolved configuration (hub and file layers included). Thread-safe.
 */
final class HubSession {
    private static final Logger log = LoggerFactory.getLogger(HubSession.class);

    private final String serviceName;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Heartbeat> heartbeat;
    private final List<Runnable> endpointListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile SuhoConfig config;
    private volatile long endpointVersion = -1;
    private final ClassLoader classLoader;
    private volatile HubLease lease;
    private volatile FailoverHubTransport hub;
    private EndpointCacheFile cacheFile;

    /**
     * @param heartbeat what each heartbeat reports (each started store's breaker state and error rate)
     */
    HubSession(String serviceName, SuhoConfig config, ScheduledExecutorService scheduler,
            Supplier<Heartbeat> heartbeat) {
        this(serviceName, config, scheduler, heartbeat, null);
    }

    /** @param classLoader where hub transport providers are looked up, or {@code null} for core's own */
    HubSession(String serviceName, SuhoConfig config, ScheduledExecutorService scheduler,
            Supplier<Heartbeat> heartbeat, ClassLoader classLoader) {
        this.classLoader = classLoader;
        this.serviceName = serviceName;
        this.config = config;
        this.scheduler = scheduler;
        this.heartbeat = heartbeat;
    }

    /** The latest resolved configuration. */
    SuhoConfig config() {
        return config;
    }

    long endpointVersion() {
        return endpointVersion;
    }

    String instanceId() {
        HubLease l = lease;
        return l == null ? null : l.instanceId();
    }

    /** Registers a callback run after the long-poll applied new endpoints. */
    void onEndpointsChanged(Runnable callback) {
        endpointListeners.add(callback);
    }

    /**
     * Asks the hub for endpoints (or reads the endpoint file when it is down), then registers and starts heartbeats
     * and the long-poll as configured.
     *
     * @param stores the stores on the classpath: when neither hub nor file answers, each must be configured locally
     * @throws ConfigurationException when the hub and the file are unavailable and a store's hosts are not set
     */
    void connect(Collection<Store> stores) {
        Path file = config.optional(ClientKeys.ENDPOINT_CACHE_FILE).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".suho", "endpoints", serviceName + ".json"));
        cacheFile = new EndpointCacheFile(file);
        List<URI> urls = hubUrls();
        if (urls.isEmpty()) {
            log.debug("no hub configured (suho.hub.url / suho.hub.urls); endpoints come from local config only");
            return;
        }
        Duration timeout = config.get(ClientKeys.HUB_TIMEOUT);
        Secret token = config.optional(ClientKeys.HUB_TOKEN).orElse(null);
        Secret readToken = config.optional(ClientKeys.HUB_READ_TOKEN).orElse(null);
        for (URI url : urls) {
            checkTransport(url, token != null || readToken != null);
        }
        hub = openTransports(urls, token, readToken, timeout);
        try {
            EndpointCatalog catalog = hub.endpoints(timeout);
            applyCatalog(catalog, true);
            log.info("endpoints version {} from hub {} for stores {}", catalog.version(), hub.uri(),
                    catalog.stores().keySet());
        } catch (IOException | RuntimeException e) {
            fallBackToFile(e, stores);
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

    /** {@code suho.hub.urls} when set, else {@code suho.hub.url} as a list of one, else none. */
    private List<URI> hubUrls() {
        var urls = config.optional(ClientKeys.HUB_URLS);
        URI one = config.optional(ClientKeys.HUB_URL).orElse(null);
        if (urls.isPresent()) {
            if (one != null && !urls.get().contains(one)) {
                log.warn("{} and {} are both set; {} wins and {} is not used", ClientKeys.HUB_URLS.name(),
                        ClientKeys.HUB_URL.name(), ClientKeys.HUB_URLS.name(), one);
            }
            return urls.get();
        }
        return one == null ? List.of() : List.of(one);
    }

    private FailoverHubTransport openTransports(List<URI> urls, Secret token, Secret readToken, Duration timeout) {
        String name = config.get(ClientKeys.HUB_TRANSPORT);
        HubTransportProvider provider = HubTransports.provider(name, classLoader);
        javax.net.ssl.SSLContext ssl = sslContext();
        String ca = config.optional(ClientKeys.HUB_TLS_CA_FILE).orElse(null);
        String keystore = config.optional(ClientKeys.HUB_TLS_KEYSTORE).orElse(null);
        List<HubTransport> transports = new ArrayList<>();
        for (URI url : urls) {
            try {
                transports.add(provider.open(new HubTransportSettings(url, token, readToken, ssl,
                        ca == null ? null : Path.of(ca), keystore == null ? null : Path.of(keystore),
                        config.optional(ClientKeys.HUB_TLS_KEYSTORE_PASSWORD).orElse(null), timeout, config)));
            } catch (IllegalArgumentException e) {
                transports.forEach(HubTransport::close);
                String key = config.optional(ClientKeys.HUB_URLS).isPresent() ? ClientKeys.HUB_URLS.name()
                        : ClientKeys.HUB_URL.name();
                throw new ConfigurationException(key, key + ": hub " + url + " cannot be used with "
                        + ClientKeys.HUB_TRANSPORT.name() + "=" + name + ": " + e.getMessage(), e);
            }
        }
        return new FailoverHubTransport(transports);
    }

    private String hubNames() {
        return hub == null ? "(none)" : String.join(", ", hub.uris().stream().map(URI::toString).toList());
    }

    /**
     * A token sent over plain HTTP can be read by anyone on the path, and a catalog received over it can be forged
     * (pointing the services at hosts that collect their store passwords): with a token set, an {@code http://} hub
     * is refused unless the operator opted in with {@code suho.hub.allow-insecure=true}.
     */
    private void checkTransport(URI url, boolean hasToken) {
        if (!hasToken || !"http".equalsIgnoreCase(url.getScheme())) {
            return;
        }
        if (config.get(ClientKeys.HUB_ALLOW_INSECURE)) {
            log.warn("hub {} is plain http:// and a hub token is set: the token and the endpoint catalog travel "
                    + "unencrypted ({}=true)", url, ClientKeys.HUB_ALLOW_INSECURE.name());
            return;
        }
        throw new ConfigurationException(ClientKeys.HUB_ALLOW_INSECURE.name(), "suho.hub.url " + url
                + " is plain http:// but a hub token is set: the token would travel in clear and anyone on the path"
                + " could answer with a forged endpoint catalog. Use an https:// hub (SUHO_HUB_TLS_KEYSTORE on the"
                + " hub; suho.hub.tls.ca-file here for a private CA), or set "
                + ClientKeys.HUB_ALLOW_INSECURE.name() + "=true (env SUHO_HUB_ALLOW_INSECURE) for local development");
    }

    private javax.net.ssl.SSLContext sslContext() {
        String ca = config.optional(ClientKeys.HUB_TLS_CA_FILE).orElse(null);
        String keystore = config.optional(ClientKeys.HUB_TLS_KEYSTORE).orElse(null);
        if (keystore != null) {
            Secret pw = config.optional(ClientKeys.HUB_TLS_KEYSTORE_PASSWORD).orElse(null);
            try {
                return PemTrust.context(ca == null ? null : Path.of(ca), Path.of(keystore),
                        pw == null ? new char[0] : pw.revealChars());
            } catch (IOException | RuntimeException e) {
                throw new ConfigurationException(ClientKeys.HUB_TLS_KEYSTORE.name(), ClientKeys.HUB_TLS_KEYSTORE.name()
                        + " = " + keystore + " (with " + ClientKeys.HUB_TLS_CA_FILE.name() + ") cannot be used: "
                        + e.getMessage() + "; fix: a PKCS#12 file and its password in "
                        + ClientKeys.HUB_TLS_KEYSTORE_PASSWORD.name(), e);
            }
        }
        if (ca == null) {
            return null;
        }
        try {
            return PemTrust.context(Path.of(ca));
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException(ClientKeys.HUB_TLS_CA_FILE.name(), ClientKeys.HUB_TLS_CA_FILE.name()
                    + " = " + ca + " is not a readable PEM file of CA certificates: " + e.getMessage()
                    + "; fix: point it at the CA certificate (PEM) that signed the hub's certificate", e);
        }
    }

    private void fallBackToFile(Exception hubFailure, Collection<Store> stores) {
        String reason = hubFailure.getClass().getSimpleName()
                + (hubFailure.getMessage() == null ? "" : ": " + hubFailure.getMessage());
        try {
            var stored = cacheFile.read();
            if (stored.isPresent()) {
                config = config.withRemoteLayers(Map.of(), stored.get().toConfig());
                endpointVersion = stored.get().version();
                log.warn("hub {} unreachable ({}); using last-known-good endpoints version {} from {}", hubNames(),
                        reason, stored.get().version(), cacheFile.path());
                return;
            }
        } catch (IOException e) {
            log.warn("cannot read endpoint file {}: {}", cacheFile.path(), e.getMessage());
        }
        List<String> missing = new ArrayList<>();
        for (Store store : stores) {
            String key = StoreKeys.hosts(store);
            if (config.get(key).isEmpty()) {
                missing.add(key + " (" + config.howToSet(key).replace("set the environment variable ", "env ") + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(String.join(",", missing.stream().map(m -> m.substring(0, m.indexOf(' ')))
                    .toList()), "cannot resolve endpoints: hub " + hubNames() + " is unreachable (" + reason
                    + "), there is no last-known-good endpoint file at " + cacheFile.path()
                    + ", and these are not configured otherwise: " + String.join("; ", missing));
        }
        log.warn("hub {} unreachable ({}) and no endpoint file at {}; every store is configured locally, continuing",
                hubNames(), reason, cacheFile.path());
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
            String host = config.optional(ClientKeys.INSTANCE_HOST).orElseGet(HubSession::localHost);
            lease = hub.register(new HubRegistration(serviceName, host, config.get(ClientKeys.INSTANCE_PORT), ttl,
                    Map.of("sdk", "suho-java")), timeout);
            log.info("registered with hub {} as instance {}", hub.uri(), lease.instanceId());
        } catch (IOException | RuntimeException e) {
            log.warn("cannot register with hub {}: {} (will retry with the next heartbeat)", hubNames(), e.toString());
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

    private void heartbeat() {
        if (stopped.get()) {
            return;
        }
        try {
            HubLease l = lease;
            if (l == null) {
                register();
                return;
            }
            Duration timeout = config.get(ClientKeys.HUB_TIMEOUT);
            if (!hub.heartbeat(l, heartbeat.get(), timeout)) {
                log.info("hub no longer knows instance {}; registering again", l.instanceId());
                lease = null;
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
        while (!stopped.get()) {
            try {
                var changed = hub.awaitChange(endpointVersion, Duration.ofSeconds(30));
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

    /** Stops heartbeats (a heartbeat in flight may finish) and the long-poll. */
    void stop() {
        stopped.set(true);
    }

    /**
     * Removes this instance from the hub within {@code timeout} (on failure the hub expires the lease), then closes
     * the hub transports.
     */
    void deregister(Duration timeout) {
        FailoverHubTransport h = hub;
        if (h == null) {
            return;
        }
        HubLease l = lease;
        try {
            if (l != null) {
                h.deregister(l, timeout);
            }
        } catch (IOException | RuntimeException e) {
            log.info("deregistration from hub {} failed ({}); the hub expires the lease", hubNames(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            h.close();
        }
    }
}
