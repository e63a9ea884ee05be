package io.suho.client.cache.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Tags;
import io.suho.client.cache.CacheClient;
import io.suho.client.cache.PriceCache;
import io.suho.client.cache.SessionStore;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.spi.Backoff;
import io.suho.client.core.spi.Causes;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.core.spi.StoreExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import reactor.core.Disposable;
import org.slf4j.LoggerFactory;

/**
 * The started cache module: owns the {@link ClientResources}, the {@link RedisClient} and the connections, and closes
 * them in reverse order. Lettuce is set up to fail fast and recover fast: commands are rejected (not queued for a
 * later replay) while disconnected, the command timeout is the store's resilience timeout, and reconnect attempts
 * back off with the SDK's {@link Backoff} so that no wait exceeds {@code suho.cache.reconnect.max-delay}.
 */
public final class CacheRuntime implements StartedStore {
    private static final Logger LOG = LoggerFactory.getLogger(CacheRuntime.class);
    static final List<LuaScript> SCRIPTS = List.of(LuaRateLimiter.SCRIPT, RedisSessionStore.CREATE,
            RedisSessionStore.TOUCH, RedisCounters.INCREMENT_TTL, RedisOrderBook.UPDATE, RedisOrderBook.TOP,
            RedisLock.ACQUIRE, RedisLock.RELEASE, RedisLock.EXTEND);
    /** First reconnect delay (before jitter), and the smallest accepted cap. */
    static final Duration MIN_RECONNECT_DELAY = CacheSettings.MIN_RECONNECT_DELAY;

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisConnections connections;
    private final RedisCacheClient cache;
    private final Duration timeout;
    private final Disposable reconnected;

    private CacheRuntime(ClientResources resources, RedisClient client, RedisConnections connections,
            RedisCacheClient cache, Duration timeout, StoreExecutor executor) {
        this.resources = resources;
        this.client = client;
        this.connections = connections;
        this.cache = cache;
        this.timeout = timeout;
        this.reconnected = resources.eventBus().get()
                .filter(ConnectionActivatedEvent.class::isInstance)
                .subscribe(e -> confirmServing(connections, executor),
                        e -> LOG.debug("cache event bus: {}", e.toString()));
    }

    /**
     * A connection was (re)activated: one PING, and if the server answers, tell the breaker, so an open breaker closes
     * as soon as its delay allows instead of after a failed trial against a connection still being set up.
     */
    private static void confirmServing(RedisConnections connections, StoreExecutor executor) {
        RedisConnections.Lines l = connections.current();
        if (l == null || !l.connection().isOpen() || "CLOSED".equals(executor.breakerState())) {
            return;
        }
        l.async().ping().whenComplete((pong, failure) -> {
            if (failure == null && "PONG".equals(pong)) {
                executor.recordHealthy();
            }
        });
    }

    /** Builds the driver from the context's config; connects now if the server answers, else on first use. */
    public static CacheRuntime start(StoreContext ctx) {
        CacheSettings settings = CacheSettings.read(ctx.config(), ctx.serviceName());
        Duration timeout = ctx.resilience().timeout();
        Duration connectTimeout = settings.connectTimeout();
        List<RedisURI> uris = uris(ctx, settings, timeout);

        DefaultClientResources.Builder rb = DefaultClientResources.builder()
                .reconnectDelay(reconnectDelay(settings.reconnectMaxDelay()));
        if (settings.commandLatencyMetrics()) {
            rb.commandLatencyRecorder(new MicrometerCommandLatencyRecorder(ctx.meterRegistry(),
                    MicrometerOptions.builder().tags(Tags.of("service", ctx.serviceName())).build()));
        }
        ClientResources resources = rb.build();
        RedisClient client = RedisClient.create(resources);
        ClientOptions options = clientOptions(timeout, connectTimeout);
        java.io.File ca = CacheSettings.caFile(ctx.config());
        if (ca != null && settings.tls()) {
            // a private CA for the server's certificate (verify-peer still checks it and the host name)
            options = options.mutate().sslOptions(io.lettuce.core.SslOptions.builder().jdkSslProvider()
                    .trustManager(ca).build()).build();
        }
        client.setOptions(options);

        RedisConnections connections = new RedisConnections(client, uris, connectTimeout);
        connections.onConnect(() -> loadScripts(connections));
        CacheContext cctx = new CacheContext(connections, ctx.executor(), new Json(), new ConcurrentHashMap<>(),
                settings.fallbackToLoader(), settings.keyMaxLength(), settings.sessionTtl(), settings.pricesNotify());
        RedisCacheClient cache = new RedisCacheClient(cctx, settings.namespace(), new ConcurrentHashMap<>());
        ctx.onEndpointsChanged(() -> {
            try {
                connections.retarget(uris(ctx, CacheSettings.read(ctx.config(), ctx.serviceName()), timeout));
            } catch (RuntimeException e) {
                LOG.warn("cache endpoints from the hub not usable, keeping the current ones: {}", e.getMessage());
            }
        });
        try {
            connections.lines();
        } catch (RuntimeException e) {
            LOG.warn("cache not reachable at {} yet (will connect on first use): {}", hostList(uris),
                    Causes.describe(e));
        }
        return new CacheRuntime(resources, client, connections, cache, timeout, ctx.executor());
    }

    /**
     * Lettuce's wait before each reconnect attempt: the SDK's {@link Backoff} (doubling from 10 ms, ±50 % jitter so a
     * fleet does not reconnect in the same millisecond), its base capped at two thirds of {@code max} so that no wait,
     * jitter included, exceeds {@code max}. The cap is what bounds recovery — once the server is back the next attempt
     * comes at most {@code max} later — so it is kept short; while the server is down an attempt is one refused TCP
     * connect, which costs the server nothing.
     */
    static Delay reconnectDelay(Duration max) {
        Duration cap = max.multipliedBy(2).dividedBy(3);
        Backoff backoff = Backoff.of(cap.compareTo(MIN_RECONNECT_DELAY) < 0 ? cap : MIN_RECONNECT_DELAY, cap);
        return new Delay() {
            @Override
            public Duration createDelay(long attempt) {
                return backoff.delay((int) Math.min(attempt, Integer.MAX_VALUE)); // Lettuce counts from 1, as Backoff
            }
        };
    }

    /** The Lettuce options the SDK runs with (the benchmark's raw client sets the same ones, for a like-for-like run). */
    public static ClientOptions clientOptions(Duration timeout, Duration connectTimeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                // fail fast while disconnected: no queue that replays stale writes after reconnect
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true)
                        .tcpNoDelay(true).build())
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(timeout).build())
                .build();
    }

    static List<RedisURI> uris(StoreContext ctx, CacheSettings settings, Duration timeout) {
        Optional<String> user = Optional.ofNullable(settings.user());
        Optional<Secret> password = Optional.ofNullable(settings.password());
        List<RedisURI> out = new ArrayList<>();
        for (HostPort hp : settings.hosts()) {
            RedisURI.Builder b = RedisURI.Builder.redis(hp.host(), hp.port())
                    .withTimeout(timeout)
                    .withDatabase(settings.database())
                    .withClientName(ctx.serviceName().replaceAll("\\s", "_"));
            if (settings.tls()) {
                b.withSsl(true).withVerifyPeer(settings.tlsVerifyPeer());
            }
            if (password.isPresent()) {
                if (user.isPresent()) {
                    b.withAuthentication(user.get(), password.get().revealChars());
                } else {
                    b.withPassword(password.get().revealChars());
                }
            }
            out.add(b.build());
        }
        return out;
    }

    private static void loadScripts(RedisConnections connections) {
        RedisConnections.Lines l = connections.current();
        if (l == null) {
            return;
        }
        for (LuaScript s : SCRIPTS) {
            l.async().scriptLoad(s.source()); // pipelined; a miss later is repaired by the NOSCRIPT path
        }
    }

    private static String hostList(List<RedisURI> uris) {
        return uris.stream().map(u -> u.getHost() + ":" + u.getPort()).toList().toString();
    }

    @Override
    public <T> T client(Class<T> type) {
        if (type == CacheClient.class) {
            return type.cast(cache);
        }
        if (type == SessionStore.class) {
            return type.cast(cache.sessions());
        }
        if (type == PriceCache.class) {
            return type.cast(cache.prices());
        }
        throw new IllegalArgumentException("the cache module provides CacheClient, SessionStore and PriceCache, not "
                + type.getName());
    }

    /** PING, then INFO for the detail (a failed INFO leaves the store UP); each bounded by the timeout. */
    @Override
    public ProbeResult probe() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("namespace", cache.namespace());
        try {
            RedisConnections.Lines l = connections.lines();
            detail.put("connected", l.connection().isOpen());
            detail.put("ping", l.async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            try {
                Map<String, String> info = parseInfo(l.async().info().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                putIf(detail, "server", info.containsKey("dragonfly_version") ? "dragonfly" : "redis");
                putIf(detail, "version", info.getOrDefault("dragonfly_version", info.get("redis_version")));
                putIf(detail, "role", info.get("role"));
                putIf(detail, "usedMemory", info.get("used_memory"));
                putIf(detail, "usedMemoryHuman", info.get("used_memory_human"));
                putIf(detail, "connectedClients", info.get("connected_clients"));
                putIf(detail, "uptimeSeconds", info.get("uptime_in_seconds"));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                detail.put("info", "unavailable: " + e.getClass().getSimpleName());
            }
            return ProbeResult.up(detail);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            RedisConnections.Lines l = connections.current();
            detail.put("connected", l != null && l.connection().isOpen());
            return ProbeResult.down(Causes.unwrap(e), detail);
        }
    }

    @Override
    public FailurePolicy failurePolicy() {
        return CacheFailures.POLICY;
    }

    private static void putIf(Map<String, Object> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    static Map<String, String> parseInfo(String info) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    @Override
    public void close() {
        reconnected.dispose();
        try {
            connections.close();
        } catch (RuntimeException e) {
            LOG.debug("closing cache connections: {}", e.toString());
        }
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debug("shutting down cache client: {}", e.toString());
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
