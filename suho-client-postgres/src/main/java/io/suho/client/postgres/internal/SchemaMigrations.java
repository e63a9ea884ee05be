package io.suho.client.postgres.internal;

import io.suho.client.core.HostPort;
import io.suho.client.core.SuhoException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.LoggerFactory;

/**
 * Runs Flyway: the application's migrations (when enabled, at start) from its classpath locations into its own
 * history table, and — separately, on the first use of the outbox ({@link SdkSchema}) — the SDK's own
 * ({@code suho_outbox}) into {@code suho_sdk_schema_history}, so the two never clash. Connections are opened outside
 * the pools, without the per-statement timeout (DDL may take long).
 */
final class SchemaMigrations {
    static final String SDK_LOCATION = "classpath:io/suho/client/postgres/migration";
    static final String SDK_TABLE = "suho_sdk_schema_history";
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {
    }

    /**
     * The application's migrations (when enabled); returns false when the server could not be reached (the caller
     * retries later), throws when a migration itself failed.
     */
    static boolean runApplication(PostgresSettings settings, PoolFactory pools, HostPort primary) {
        return run(settings, pools, primary, true, false);
    }

    /**
     * The SDK's own migrations (when {@code sdk-migrations.enabled}); returns false when the server could not be
     * reached, throws when a migration itself failed.
     */
    static boolean runSdk(PostgresSettings settings, PoolFactory pools, HostPort primary) {
        return run(settings, pools, primary, false, true);
    }

    private static boolean run(PostgresSettings settings, PoolFactory pools, HostPort primary, boolean application,
            boolean sdk) {
        DataSource ds = new ProbeDataSource(pools, primary);
        try {
            try (Connection c = ds.getConnection()) {
                c.isValid(1);
            }
        } catch (SQLException e) {
            log.warn("postgres migrations postponed: {} does not answer ({})", primary, e.getMessage());
            return false;
        }
        try {
            if (application && settings.migrationsEnabled()) {
                ClassLoader cl = Thread.currentThread().getContextClassLoader();
                MigrateResult r = Flyway.configure(cl != null ? cl : SchemaMigrations.class.getClassLoader())
                        .dataSource(ds)
                        .locations(settings.migrationLocations().toArray(String[]::new))
                        .table(settings.migrationsTable())
                        .failOnMissingLocations(true)
                        .baselineOnMigrate(settings.migrationsBaselineOnMigrate())
                        .baselineVersion(settings.migrationsBaselineVersion())
                        .load().migrate();
                log.info("postgres application migrations: {} applied, schema version {}", r.migrationsExecuted,
                        r.targetSchemaVersion);
            }
            if (sdk && settings.sdkMigrations()) {
                MigrateResult r = Flyway.configure(SchemaMigrations.class.getClassLoader())
                        .dataSource(ds)
                        .locations(SDK_LOCATION)
                        .table(SDK_TABLE)
                        .baselineOnMigrate(true) // the schema usually holds the application's tables already
                        .baselineVersion("0")
                        .load().migrate();
                log.info("postgres SDK migrations (outbox first used): {} applied, version {}", r.migrationsExecuted,
                        r.targetSchemaVersion);
            }
            return true;
        } catch (FlywayException e) {
            if (application && settings.migrationsEnabled() && !settings.migrationsBaselineOnMigrate()
                    && e.getMessage() != null
                    && (e.getMessage().contains("baselineOnMigrate")
                        || e.getMessage().contains("no schema history table"))) {
                throw new SuhoException("postgres application migrations refused: the database's schema already has"
                        + " tables (a shared database: other services' tables, the SDK's suho_outbox) but no history"
                        + " table " + settings.migrationsTable() + " of this application, and"
                        + " suho.postgres.migrations.baseline-on-migrate is false; fix: set"
                        + " suho.postgres.migrations.baseline-on-migrate=true (env"
                        + " SUHO_POSTGRES_MIGRATIONS_BASELINE_ON_MIGRATE=true): the schema is then baselined at"
                        + " suho.postgres.migrations.baseline-version (" + settings.migrationsBaselineVersion()
                        + "; 0 = every script of yours still runs)", e);
            }
            throw new SuhoException("postgres migrations failed (" + (application
                    ? "locations " + settings.migrationLocations() + ", table " + settings.migrationsTable()
                    : "the SDK's, history table " + SDK_TABLE) + "): " + e.getMessage(), e);
        }
    }

    /** Plain connections to one server for Flyway. */
    private static final class ProbeDataSource implements DataSource {
        private final PoolFactory pools;
        private final HostPort host;

        ProbeDataSource(PoolFactory pools, HostPort host) {
            this.pools = pools;
            this.host = host;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return pools.connect(host, false);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
