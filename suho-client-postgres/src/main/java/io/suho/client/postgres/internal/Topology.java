package io.suho.client.postgres.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.suho.client.core.HostPort;
import io.suho.client.core.HostWeights;
import io.suho.client.core.spi.ServerBalancer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which server is the primary and which replicas serve reads. Holds one pool per server. When the primary stops
 * answering or reports read-only, a single background re-resolution probes the candidates (the configured or
 * hub-provided hosts, then the replicas) for {@code pg_is_in_recovery() = false}, swaps in a pool for the new
 * primary and closes the old one. Reads go to the replica a {@link ServerBalancer} picks (by default the one with
 * the lower recent latency of two, weighted by {@code replica.weights}); replicas whose connections fail are skipped
 * until a background probe sees them answer, and reads fall back to the primary when no replica is usable.
 * Thread-safe; the hot path reads volatile fields and takes no lock.
 */
final class Topology implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Topology.class);
    private static final long MIN_RESOLVE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Pause between probes while no primary answers: short, so recovery is seen within ~0.1 s of the server. */
    static final long REPROBE_MILLIS = 100;

    /** A server and its pool; {@code slot}: the replica's number in the balancer, -1 for the primary. */
    record Target(String role, HostPort host, HikariDataSource pool, int slot) {
        Target(String role, HostPort host, HikariDataSource pool) {
            this(role, host, pool, -1);
        }
    }

    /** A read replica; its health and weight live in the balancer, at {@code target.slot()}. */
    static final class Replica {
        final Target target;

        Replica(Target target) {
            this.target = target;
        }
    }

    private final PostgresSettings settings;
    private final PoolFactory pools;
    private final Supplier<List<HostPort>> candidates;
    private final ScheduledExecutorService worker;
    private final List<Replica> replicas;
    private final ServerBalancer balancer;
    private final AtomicBoolean resolving = new AtomicBoolean();
    private final AtomicLong firstFailureNanos = new AtomicLong();
    private volatile long lastResolveEndNanos;
    private volatile Target primary;
    private volatile long failovers;
    private volatile Duration lastFailover;
    private volatile boolean closed;
    /** Set when the last probe of the primary failed and no other primary was found: calls fail without waiting. */
    private volatile PrimaryDown primaryUnreachable;

    Topology(PostgresSettings settings, PoolFactory pools, Supplier<List<HostPort>> candidates) {
        this.settings = settings;
        this.pools = pools;
        this.candidates = candidates;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "suho-postgres-topology-" + settings.serviceName());
            t.setDaemon(true);
            return t;
        });
        HostPort first = settings.hosts().get(0);
        this.primary = new Target("primary", first, pools.create("primary", first, settings.poolMaxSize()));
        List<Replica> rs = new ArrayList<>();
        for (HostPort h : settings.replicas()) {
            rs.add(new Replica(new Target("replica", h, pools.create("replica", h, settings.replicaPoolMaxSize()),
                    rs.size())));
        }
        this.replicas = List.copyOf(rs);
        this.balancer = new ServerBalancer(replicas.size(), settings.replicaRouting(), settings.replicaDecay());
        weights(settings.replicaWeights());
        if (!replicas.isEmpty()) {
            worker.scheduleWithFixedDelay(this::probeReplicas, 1, 1, TimeUnit.SECONDS);
        }
        if (settings.failoverEnabled() && settings.hosts().size() > 1) {
            worker.execute(this::resolve); // the first listed host may not be the primary
        }
    }

    Target primary() {
        return primary;
    }

    /**
     * The replica the balancer picks for a read, or the primary when no replica is usable (all failing or drained)
     * or none is configured. A replica returned here must be handed to {@link #readFinished} when the call ends.
     * {@code nowNanos}: the {@link System#nanoTime()} the caller times the read from.
     */
    Target readTarget(long nowNanos) {
        int i = balancer.choose(nowNanos);
        return i < 0 ? primary : replicas.get(i).target;
    }

    /**
     * Ends a read on {@code t} (a no-op for the primary): its latency feeds the replica's estimate, unless
     * {@code sample} is false (a stream, whose length is the caller's).
     */
    void readFinished(Target t, long latencyNanos, long nowNanos, boolean sample) {
        if (t.slot() >= 0) {
            if (sample) {
                balancer.finished(t.slot(), latencyNanos, nowNanos);
            } else {
                balancer.release(t.slot());
            }
        }
    }

    /** Applies replica weights (hosts not listed weigh 1; 0 drains a replica), e.g. after the hub's catalog changed. */
    void weights(HostWeights weights) {
        for (Replica r : replicas) {
            double w = weights.of(r.target.host());
            if (balancer.weight(r.target.slot()) != w) {
                balancer.setWeight(r.target.slot(), w);
                log.info("postgres replica {}: weight {}{}", r.target.host(), w, w == 0 ? " (drained: no new reads)"
                        : "");
            }
        }
    }

    ServerBalancer balancer() {
        return balancer;
    }

    /**
     * A connection from the target's pool for {@code operation}. While the primary is known unreachable (a probe just
     * failed), throws {@link PrimaryDown#unavailable} at once instead of holding the caller for the pool's connection
     * timeout; the background probe clears it.
     */
    Connection connection(Target t, String operation) throws SQLException {
        PrimaryDown down = primaryUnreachable;
        if (down != null && t == primary) {
            throw down.unavailable(operation);
        }
        return t.pool().getConnection();
    }

    /** Called after a successful call on the primary: ends a failure episode. */
    void succeeded() {
        if (firstFailureNanos.get() != 0) {
            firstFailureNanos.set(0);
        }
    }

    /** Called when a call on {@code target} failed with a driver exception. */
    void failed(Target target, SQLException e) {
        if (e instanceof PrimaryDown.Rejection || closed || !PostgresFailures.primaryLost(e)) {
            return;
        }
        if (target.role().equals("replica")) {
            for (Replica r : replicas) {
                if (r.target == target && balancer.usable(r.target.slot())) {
                    balancer.setUsable(r.target.slot(), false);
                    log.warn("postgres replica {} failed ({}); reads go elsewhere until it answers", target.host(),
                            e.getSQLState());
                }
            }
            return;
        }
        if (target != primary) {
            return; // an old pool being drained after a failover
        }
        if (firstFailureNanos.compareAndSet(0, System.nanoTime())) {
            log.debug("postgres primary {} failed [{}]: re-resolving", target.host(), e.getSQLState());
        }
        requestResolve();
    }

    /** Starts one background re-resolution unless one is running or one just finished. */
    void requestResolve() {
        if (System.nanoTime() - lastResolveEndNanos >= MIN_RESOLVE_INTERVAL_NANOS) {
            startResolve();
        }
    }

    /** Starts one background re-resolution unless one is running (the scheduled re-probe skips the interval). */
    private void startResolve() {
        if (!settings.failoverEnabled() || closed || !resolving.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    resolve();
                } finally {
                    resolving.set(false);
                }
            });
        } catch (RuntimeException e) {
            resolving.set(false); // closed
        }
    }

    private void resolve() {
        try {
            Set<HostPort> order = new LinkedHashSet<>();
            try {
                order.addAll(candidates.get());
            } catch (RuntimeException e) {
                order.addAll(settings.hosts());
            }
            order.addAll(settings.replicas());
            for (HostPort h : order) {
                if (closed) {
                    return;
                }
                Boolean inRecovery = probe(h);
                log.debug("postgres probe {}: {}", h, inRecovery == null ? "no answer"
                        : inRecovery ? "standby" : "primary");
                if (inRecovery == null || inRecovery) {
                    continue;
                }
                Target current = primary;
                if (h.equals(current.host())) {
                    refreshIfEmpty(current);
                    return;
                }
                swapPrimary(current, h);
                return;
            }
            if (firstFailureNanos.get() != 0) {
                PrimaryDown was = primaryUnreachable;
                if (was == null || !was.candidates().equals(order)) {
                    primaryUnreachable = new PrimaryDown(order);
                }
            }
            log.debug("postgres: no writable primary among {}", order);
        } finally {
            lastResolveEndNanos = System.nanoTime();
            if (firstFailureNanos.get() != 0 && !closed) {
                // keep probing while the failure episode lasts, so recovery does not wait for a caller
                try {
                    worker.schedule(this::startResolve, REPROBE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RuntimeException e) {
                    log.debug("not re-probing: {}", e.toString());
                }
            }
        }
    }

    /**
     * The primary answers again. A pool left with no connections after an outage retries with its own growing
     * backoff; a fresh pool connects at once, so replace it.
     */
    private void refreshIfEmpty(Target current) {
        boolean wasDown = primaryUnreachable != null;
        primaryUnreachable = null;
        var mx = current.pool().getHikariPoolMXBean();
        if (firstFailureNanos.get() != 0 && (wasDown || mx == null || mx.getTotalConnections() == 0)) {
            Target fresh = new Target("primary", current.host(),
                    pools.create("primary", current.host(), settings.poolMaxSize()));
            primary = fresh;
            firstFailureNanos.set(0);
            log.info("postgres primary {} answers again; connection pool renewed", current.host());
            closeLater(current.pool());
        } else {
            firstFailureNanos.set(0);
        }
    }

    private void swapPrimary(Target old, HostPort host) {
        Target next = new Target("primary", host, pools.create("primary", host, settings.poolMaxSize()));
        primary = next;
        long began = firstFailureNanos.getAndSet(0);
        Duration took = began == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - began);
        lastFailover = took;
        failovers++;
        log.warn("postgres failover: primary moved from {} to {} ({} ms after the first failure)", old.host(), host,
                took.toMillis());
        primaryUnreachable = null;
        closeLater(old.pool());
    }

    /** Closing waits for borrowed connections; do it off the resolution thread. */
    private static void closeLater(HikariDataSource pool) {
        Thread closer = new Thread(() -> closeQuietly(pool), "suho-postgres-pool-close");
        closer.setDaemon(true);
        closer.start();
    }

    /** {@code pg_is_in_recovery()} of a server, or {@code null} when it does not answer. */
    private Boolean probe(HostPort host) {
        try (Connection c = pools.connect(host, true); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException | RuntimeException e) {
            log.debug("postgres probe of {} failed: {}", host, e.toString());
            return null;
        }
    }

    private void probeReplicas() {
        for (Replica r : replicas) {
            if (balancer.usable(r.target.slot()) || closed) {
                continue;
            }
            try (Connection c = r.target.pool().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                balancer.setUsable(r.target.slot(), true);
                log.info("postgres replica {} answers again; serving reads", r.target.host());
            } catch (SQLException | RuntimeException e) {
                log.debug("postgres replica {} still down: {}", r.target.host(), e.toString());
            }
        }
    }

    /** Replica host → up/down. */
    Map<String, Object> replicaStates() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Replica r : replicas) {
            out.put(r.target.host().toString(), balancer.usable(r.target.slot()) ? "up" : "down");
        }
        return out;
    }

    List<Replica> replicas() {
        return replicas;
    }

    long failovers() {
        return failovers;
    }

    /** Time from the first failure to the new primary's pool serving, for the last failover; null if none. */
    Duration lastFailover() {
        return lastFailover;
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        closeQuietly(primary.pool());
        for (Replica r : replicas) {
            closeQuietly(r.target.pool());
        }
    }

    private static void closeQuietly(HikariDataSource ds) {
        try {
            ds.close();
        } catch (RuntimeException e) {
            log.debug("closing pool {} failed: {}", ds.getPoolName(), e.toString());
        }
    }
}
