package io.suho.client.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.suho.client.core.HostPort;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Builds the HikariCP pools and one-off probe connections with the store's timeouts handed to the driver:
 * Hikari {@code connectionTimeout} = the store timeout; PgJDBC {@code connectTimeout} and {@code socketTimeout}
 * (whole seconds, the driver's unit) just above it, so a hung server cannot hold a thread; the server-side
 * {@code statement_timeout} = the store timeout, so a slow query is cancelled cleanly (57014) before the socket gives up.
 */
final class PoolFactory {
    private final PostgresSettings settings;
    private final MetricsTrackerFactory metrics;

    PoolFactory(PostgresSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.metrics = new MicrometerMetricsTrackerFactory(registry);
    }

    /** A pool for one server; opens connections in the background and never fails because the server is down. */
    HikariDataSource create(String role, HostPort host, int maxSize) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("suho-postgres-" + role + "-" + host);
        hc.setJdbcUrl(settings.jdbcUrl(host));
        hc.setUsername(settings.user());
        if (settings.password() != null) {
            hc.setPassword(settings.password().reveal());
        }
        hc.setMaximumPoolSize(maxSize);
        hc.setMinimumIdle(Math.min(settings.poolMinIdle(), maxSize));
        long timeoutMs = Math.max(250, settings.timeout().toMillis());
        hc.setConnectionTimeout(timeoutMs);
        hc.setValidationTimeout(timeoutMs);
        hc.setMaxLifetime(Math.max(30_000, settings.poolMaxLifetime().toMillis()));
        hc.setInitializationFailTimeout(-1); // a down server must not stop the application from starting
        hc.setMetricsTrackerFactory(metrics);
        driverProperties(role).forEach((k, v) -> hc.addDataSourceProperty((String) k, v));
        return new HikariDataSource(hc);
    }

    /** One connection outside any pool (failover probes, migrations), with the same timeouts. */
    Connection connect(HostPort host, boolean withStatementTimeout) throws SQLException {
        Properties p = driverProperties("probe");
        if (!withStatementTimeout) {
            p.remove("options");
            p.setProperty("socketTimeout", "0");
        }
        p.setProperty("user", settings.user());
        if (settings.password() != null) {
            p.setProperty("password", settings.password().reveal());
        }
        Connection c = new org.postgresql.Driver().connect(settings.jdbcUrl(host), p);
        if (c == null) {
            throw new SQLException("the PostgreSQL driver refused URL for " + host, "08001");
        }
        return c;
    }

    private Properties driverProperties(String role) {
        Properties p = new Properties();
        Duration sock = PostgresFailures.ceilSeconds(settings.timeout());
        p.setProperty("connectTimeout", Long.toString(sock.toSeconds()));
        // One second above the store timeout: a slow statement gets the server's clean cancel first.
        p.setProperty("socketTimeout", Long.toString(sock.toSeconds() + 1));
        p.setProperty("loginTimeout", Long.toString(sock.toSeconds() + 1));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", settings.serviceName() + " (suho " + role + ")");
        if (!settings.statementTimeout().isZero()) {
            p.setProperty("options", "-c statement_timeout=" + settings.statementTimeout().toMillis());
        }
        return p;
    }
}
