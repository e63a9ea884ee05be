package io.suho.client.postgres.internal;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.suho.client.core.HostWeights;
import io.suho.client.core.Store;
import io.suho.client.core.spi.FailurePolicy;
import io.suho.client.core.spi.ProbeResult;
import io.suho.client.core.spi.StartedStore;
import io.suho.client.core.spi.StoreContext;
import io.suho.client.postgres.PostgresClient;
import io.suho.client.postgres.TimeSeries;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started PostgreSQL module: pools, the client, migrations, the health probe and the failure policy. */
final class PostgresRuntime implements StartedStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresRuntime.class);

    private final PostgresShared shared;
    private final JdbcPostgresClient client;
    private final StoreContext ctx;
    private volatile boolean migrated;

    PostgresRuntime(StoreContext ctx) {
        this.ctx = ctx;
        PostgresSettings settings = PostgresSettings.read(ctx.config(), ctx.serviceName(), ctx.resilience());
        PoolFactory pools = new PoolFactory(settings, ctx.meterRegistry());
        Topology topology = new Topology(settings, pools, () -> ctx.config().hosts(Store.POSTGRES));
        this.shared = new PostgresShared(settings, ctx.executor(), topology,
                new SdkSchema(settings, pools, () -> topology.primary().host()));
        this.client = new JdbcPostgresClient(shared, false, null);
        ctx.onEndpointsChanged(() -> {
            topology.requestResolve();
            HostWeights weights = currentWeights();
            if (weights != null) {
                topology.weights(weights);
            }
        });
        ReplicaMeters.register(topology, ctx.serviceName(), ctx.meterRegistry());
        FunctionCounter.builder("suho.postgres.tx.conflict.retries", shared.conflictRetries(),
                        a -> a.sum())
                .description("inTransaction blocks retried after a serialization failure or deadlock")
                .tag("service", ctx.serviceName()).tag("store", Store.POSTGRES.id()).register(ctx.meterRegistry());
        Gauge.builder("suho.postgres.failovers", topology, Topology::failovers)
                .description("Primary changes seen by this client").tag("service", ctx.serviceName())
                .tag("store", Store.POSTGRES.id()).register(ctx.meterRegistry());
        try {
            // the application's migrations only; the SDK's own run on the outbox's first use (SdkSchema)
            migrated = !settings.migrationsEnabled()
                    || SchemaMigrations.runApplication(settings, pools, topology.primary().host());
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
        if (!migrated) {
            retryMigrations(pools);
        }
        log.info("postgres client: primary {}, replicas {} ({} routing), database {}, pool max {}",
                settings.hosts().get(0), settings.replicas(), settings.replicaRouting().name().toLowerCase(
                        java.util.Locale.ROOT), settings.database(), settings.poolMaxSize());
    }

    /** The replica weights now: the hub's catalog may have changed them (a local value still wins). */
    private HostWeights currentWeights() {
        try {
            return ctx.config().get(PostgresSettings.REPLICA_WEIGHTS);
        } catch (RuntimeException e) {
            log.warn("postgres: keeping the current replica weights: {}", e.getMessage());
            return null;
        }
    }

    private void retryMigrations(PoolFactory pools) {
        ctx.scheduler().schedule(() -> {
            // the shared scheduler must not block: run the attempt on its own thread
            Thread t = new Thread(() -> {
                try {
                    migrated = SchemaMigrations.runApplication(shared.settings(), pools,
                            shared.topology().primary().host());
                } catch (RuntimeException e) {
                    log.error("postgres migrations failed: {}", e.getMessage());
                    return;
                }
                if (!migrated) {
                    retryMigrations(pools);
                }
            }, "suho-postgres-migrate");
            t.setDaemon(true);
            t.start();
        }, 2, TimeUnit.SECONDS);
    }

    @Override
    public <T> T client(Class<T> type) {
        if (type.isAssignableFrom(PostgresClient.class)) {
            return type.cast(client);
        }
        throw new IllegalArgumentException("the postgres module provides PostgresClient, not " + type.getName());
    }

    @Override
    public ProbeResult probe() {
        Topology topology = shared.topology();
        Topology.Target primary = topology.primary();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("primary", primary.host().toString());
        detail.put("database", shared.settings().database());
        TimeSeries.Mode mode = shared.timeSeriesMode;
        // the pool directly, not the known-down refusal: the probe is how health sees the server answer again
        try (Connection c = primary.pool().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1, pg_is_in_recovery(),"
                        + " EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')")) {
            rs.next();
            boolean inRecovery = rs.getBoolean(2);
            boolean timescale = rs.getBoolean(3);
            detail.put("role", inRecovery ? "standby (read-only)" : "primary");
            detail.put("mode", (mode != null ? mode : timescale ? TimeSeries.Mode.TIMESCALE : TimeSeries.Mode.NATIVE)
                    .id());
            addCommon(detail, primary);
            if (inRecovery) {
                topology.requestResolve();
                return ProbeResult.degraded("the primary " + primary.host() + " is read-only (in recovery);"
                        + " re-resolving", detail);
            }
            boolean replicasDown = detail.get("replicas") instanceof Map<?, ?> m && m.containsValue("down");
            return replicasDown ? ProbeResult.degraded("a replica is down", detail) : ProbeResult.up(detail);
        } catch (SQLException | RuntimeException e) {
            detail.put("mode", mode == null ? "unknown" : mode.id());
            addCommon(detail, primary);
            return ProbeResult.down(e, detail);
        }
    }

    @Override
    public FailurePolicy failurePolicy() {
        return PostgresFailures.POLICY;
    }

    private void addCommon(Map<String, Object> detail, Topology.Target primary) {
        Topology topology = shared.topology();
        HikariPoolMXBean pool = primary.pool().getHikariPoolMXBean();
        if (pool != null) {
            detail.put("pool.active", pool.getActiveConnections());
            detail.put("pool.idle", pool.getIdleConnections());
            detail.put("pool.total", pool.getTotalConnections());
            detail.put("pool.waiting", pool.getThreadsAwaitingConnection());
        }
        detail.put("pool.max", shared.settings().poolMaxSize());
        if (!topology.replicas().isEmpty()) {
            detail.put("replicas", topology.replicaStates());
        }
        detail.put("failovers", topology.failovers());
        if (topology.lastFailover() != null) {
            detail.put("lastFailoverMillis", topology.lastFailover().toMillis());
        }
        detail.put("migrated", migrated);
        detail.put("outbox.table", shared.sdkSchema().ready() ? "ready" : "not yet created (first outbox use)");
    }

    @Override
    public void close() {
        shared.topology().close();
    }
}
