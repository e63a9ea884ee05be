package io.suho.spring.boot.autoconfigure.internal;

import io.suho.client.postgres.PostgresClient;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The application's {@link DataSource}: the SDK's PostgreSQL primary pool, looked up on every call so that after a
 * failover the application follows the new primary. One stable object, so Spring's transaction synchronisation
 * (keyed by the DataSource) sees the same resource for the whole transaction. Connections come straight from the
 * pool: calls through them bypass the SDK's breaker and metrics, like any JDBC code.
 */
public final class PrimaryDataSource implements DataSource {
    private final PostgresClient postgres;

    public PrimaryDataSource(PostgresClient postgres) {
        this.postgres = postgres;
    }

    private DataSource pool() {
        return postgres.primaryDataSource();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return pool().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool().isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "Suho PostgreSQL primary pool";
    }
}
