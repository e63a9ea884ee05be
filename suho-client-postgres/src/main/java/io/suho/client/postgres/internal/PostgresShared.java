package io.suho.client.postgres.internal;

import io.suho.client.core.spi.Backoff;
import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.postgres.Outbox;
import io.suho.client.postgres.TimeSeries;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** What every client view of one started module shares: settings, executor, topology, outbox, time-series state. */
final class PostgresShared {
    private final PostgresSettings settings;
    private final StoreExecutor executor;
    private final Topology topology;
    private final Outbox outbox;
    private final LongAdder conflictRetries = new LongAdder();
    private final DataSource primaryDataSource;
    private final SdkSchema sdkSchema;
    /** Between {@code inTransaction} retries after a conflict: 5 ms doubling up to {@code tx.max-backoff}. */
    private final Backoff txBackoff;
    /** Detected or configured time-series mode; null until first detected. */
    volatile TimeSeries.Mode timeSeriesMode;
    /** Native partitions known to exist: "table/yyyymmdd". */
    final Set<String> knownPartitions = ConcurrentHashMap.newKeySet();

    PostgresShared(PostgresSettings settings, StoreExecutor executor, Topology topology, SdkSchema sdkSchema) {
        this.settings = settings;
        this.executor = executor;
        this.sdkSchema = sdkSchema;
        this.outbox = new OutboxWriter(executor, sdkSchema);
        this.topology = topology;
        this.primaryDataSource = new PrimaryDataSource(topology);
        Duration max = settings.txMaxBackoff().isNegative() ? Duration.ZERO : settings.txMaxBackoff();
        Duration first = Duration.ofMillis(5);
        this.txBackoff = Backoff.of(first.compareTo(max) < 0 ? first : max, max);
        if (!settings.timeSeriesMode().equals("auto")) {
            timeSeriesMode = TimeSeries.Mode.valueOf(settings.timeSeriesMode().toUpperCase(java.util.Locale.ROOT));
        }
    }

    PostgresSettings settings() {
        return settings;
    }

    /** The SDK's own tables, created on the outbox's first use. */
    SdkSchema sdkSchema() {
        return sdkSchema;
    }

    StoreExecutor executor() {
        return executor;
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

    Backoff txBackoff() {
        return txBackoff;
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
