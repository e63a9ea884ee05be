package io.suho.client.postgres.internal;

import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.StoreExecutor;
import io.suho.client.postgres.Outbox;
import io.suho.client.postgres.TimeSeries;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** What every client view of one started module shares: settings, executor, topology, outbox, time-series state. */
final class PostgresShared {
    private final PostgresSettings settings;
    private final StoreExecutor executor;
    private final ResilienceConfig resilience;
    private final Topology topology;
    private final Outbox outbox = new OutboxWriter();
    private final LongAdder conflictRetries = new LongAdder();
    private final DataSource primaryDataSource;
    /** How long after a call's start a retry may still begin: half the timeout margin (see {@link RetryWindow}). */
    private final long retryWindowNanos;
    /** Detected or configured time-series mode; null until first detected. */
    volatile TimeSeries.Mode timeSeriesMode;
    /** Native partitions known to exist: "table/yyyymmdd". */
    final Set<String> knownPartitions = ConcurrentHashMap.newKeySet();

    PostgresShared(PostgresSettings settings, StoreExecutor executor, ResilienceConfig resilience, Topology topology) {
        this.settings = settings;
        this.executor = executor;
        this.resilience = resilience;
        this.topology = topology;
        this.primaryDataSource = new PrimaryDataSource(topology);
        this.retryWindowNanos = CallTimeouts.margin(settings.timeout()).toNanos() / 2;
        if (!settings.timeSeriesMode().equals("auto")) {
            timeSeriesMode = TimeSeries.Mode.valueOf(settings.timeSeriesMode().toUpperCase(java.util.Locale.ROOT));
        }
    }

    PostgresSettings settings() {
        return settings;
    }

    StoreExecutor executor() {
        return executor;
    }

    ResilienceConfig resilience() {
        return resilience;
    }

    Topology topology() {
        return topology;
    }

    Outbox outbox() {
        return outbox;
    }

    LongAdder conflictRetries() {
        return conflictRetries;
    }

    DataSource primaryDataSource() {
        return primaryDataSource;
    }

    long retryWindowNanos() {
        return retryWindowNanos;
    }

    /** Always the current primary's pool, so a failover is invisible to libraries holding this DataSource. */
    private static final class PrimaryDataSource implements DataSource {
        private final Topology topology;

        PrimaryDataSource(Topology topology) {
            this.topology = topology;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return topology.primary().pool().getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the Suho pool has fixed credentials");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return topology.primary().pool().getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            topology.primary().pool().setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            throw new SQLFeatureNotSupportedException("set timeouts with suho.postgres.timeout");
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return topology.primary().pool().getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            return topology.primary().pool().unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(this) || topology.primary().pool().isWrapperFor(iface);
        }
    }
}
