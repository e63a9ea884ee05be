package io.suho.client.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.suho.client.core.HostPort;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Builds the HikariCP pools and one-off probe connections with the store's timeouts handed to the driver, split by
 * {@link CallTimeouts} so a whole call stays within the store timeout even against a hung server: Hikari
 * {@code connectionTimeout} and every connection's socket read timeout = the call budget (timeout less a margin), the
 * server-side {@code statement_timeout} one margin less, PgJDBC {@code connectTimeout}/{@code loginTimeout} the budget
 * in whole seconds (they bound only connection opening, which runs on the pool's own threads).
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
        CallTimeouts t = settings.timeouts();
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("suho-postgres-" + role + "-" + host);
        // Our DataSource, not a JDBC URL: it sets the socket timeout in milliseconds on each new connection, and
        // Hikari restores that value after its own validations.
        hc.setDataSource(new Connector(settings.jdbcUrl(host), driverProperties(role, true), t.network()));
        hc.setMaximumPoolSize(maxSize);
        hc.setMinimumIdle(Math.min(settings.poolMinIdle(), maxSize));
        hc.setConnectionTimeout(t.acquire().toMillis());
        hc.setValidationTimeout(t.validation().toMillis());
        hc.setMaxLifetime(Math.max(30_000, settings.poolMaxLifetime().toMillis()));
        hc.setInitializationFailTimeout(-1); // a down server must not stop the application from starting
        hc.setMetricsTrackerFactory(metrics);
        return new HikariDataSource(hc);
    }

    /** One connection outside any pool (failover probes, migrations), with the same timeouts. */
    Connection connect(HostPort host, boolean withStatementTimeout) throws SQLException {
        Properties p = driverProperties("probe", withStatementTimeout);
        Duration network = settings.timeouts().network();
        if (!withStatementTimeout) {
            p.setProperty("socketTimeout", "0");
            network = Duration.ZERO;
        }
        return new Connector(settings.jdbcUrl(host), p, network).getConnection();
    }

    private Properties driverProperties(String role, boolean withStatementTimeout) {
        CallTimeouts t = settings.timeouts();
        Properties p = new Properties();
        int budget = CallTimeouts.ceilSeconds(t.acquire());
        p.setProperty("connectTimeout", Integer.toString(budget));
        p.setProperty("loginTimeout", Integer.toString(budget));
        // Bounds the login exchange; replaced by the millisecond network timeout once connected.
        p.setProperty("socketTimeout", Integer.toString(CallTimeouts.ceilSeconds(t.network())));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", settings.serviceName() + " (suho " + role + ")");
        if (withStatementTimeout && !t.statement().isZero()) {
            p.setProperty("options", "-c statement_timeout=" + t.statement().toMillis());
        }
        settings.tlsSettings().apply(p);
        p.setProperty("user", settings.user());
        if (settings.password() != null) {
            p.setProperty("password", settings.password().reveal());
        }
        return p;
    }

    /**
     * Opens PgJDBC connections and gives each the millisecond socket read timeout. Holds the password in its
     * properties only; never prints them.
     */
    static final class Connector implements DataSource {
        private static final Executor DIRECT = Runnable::run;
        private final org.postgresql.Driver driver = new org.postgresql.Driver();
        private final String url;
        private final Properties properties;
        private final int networkMillis;

        Connector(String url, Properties properties, Duration network) {
            this.url = url;
            this.properties = properties;
            this.networkMillis = (int) Math.min(Integer.MAX_VALUE, network.toMillis());
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = driver.connect(url, properties);
            if (c == null) {
                throw new SQLException("the PostgreSQL driver refused URL " + url, "08001");
            }
            try {
                c.setNetworkTimeout(DIRECT, networkMillis);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            return c;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the Suho pool has fixed credentials");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // logs go through SLF4J
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // Hikari offers its connectionTimeout here; the driver's loginTimeout property already bounds logins
        }

        @Override
        public int getLoginTimeout() {
            return Integer.parseInt(properties.getProperty("loginTimeout", "0"));
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
            throw new SQLException("not a wrapper for " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }

        @Override
        public String toString() {
            return "Connector[" + url + "]";
        }
    }
}
