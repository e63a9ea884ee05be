package io.suho.hub.internal;

import io.suho.hub.HubConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/** PostgreSQL: connect with PgJDBC (connect, login and socket timeouts set) and run {@code SELECT 1}. */
final class PostgresProbe implements Probe {
    private final HubConfig.Target target;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    private final String url;

    private final String sslMode;
    private final String sslRootCert;

    PostgresProbe(HubConfig.Target target, String sslMode, String sslRootCert) {
        this.target = target;
        this.sslMode = sslMode;
        this.sslRootCert = sslRootCert;
        this.url = "jdbc:postgresql://" + target.hosts().stream().map(Object::toString).collect(Collectors.joining(","))
                + "/" + (target.database() == null ? "" : target.database());
    }

    @Override
    public Map<String, Object> check(Duration timeout) throws SQLException {
        String secs = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
        Properties p = new Properties();
        if (target.user() != null) {
            p.setProperty("user", target.user());
        }
        if (target.password() != null) {
            p.setProperty("password", target.password().reveal());
        }
        p.setProperty("connectTimeout", secs);
        p.setProperty("loginTimeout", secs);
        p.setProperty("socketTimeout", secs);
        p.setProperty("ApplicationName", "suho-hub-probe");
        // the SDK's rule: TLS means verify-full (CA and host name) unless POSTGRES_SSLMODE says otherwise; the CA is
        // POSTGRES_SSLROOTCERT or the JVM's trust store
        if (!target.tls()) {
            p.setProperty("sslmode", "disable");
        } else {
            p.setProperty("sslmode", sslMode);
            if (sslRootCert != null) {
                p.setProperty("sslrootcert", sslRootCert);
            } else if (!sslMode.equals("require")) {
                p.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
            }
        }
        try (Connection c = driver.connect(url, p); Statement s = c.createStatement()) {
            s.setQueryTimeout(Integer.parseInt(secs));
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new SQLException("SELECT 1 returned no row");
                }
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("serverVersion", c.getMetaData().getDatabaseProductVersion());
            d.put("database", target.database());
            return d;
        }
    }
}
