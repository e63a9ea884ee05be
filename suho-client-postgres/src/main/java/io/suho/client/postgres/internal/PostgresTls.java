package io.suho.client.postgres.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * How the PostgreSQL module protects its connections, as PgJDBC driver properties (never URL parameters). With
 * {@code suho.postgres.tls=false} the driver is told {@code sslmode=disable}; with TLS on the default mode is
 * {@code verify-full}: the server's certificate must chain to a trusted CA and name the host connected to. The CA is
 * {@code suho.postgres.tls.root-cert} (a PEM file) or, unset, the JVM's trust store. {@code verify-ca} checks the
 * chain only, {@code require} checks nothing (encryption without authentication: anyone on the path can
 * impersonate the server and read the password). A client certificate ({@code tls.cert} + {@code tls.key}) enables
 * mutual TLS. Immutable.
 *
 * @param enabled whether TLS is on
 * @param mode {@code verify-full}, {@code verify-ca} or {@code require}
 * @param rootCert PEM file of the trusted CA(s), or {@code null} for the JVM trust store
 * @param cert client certificate (PEM), or {@code null}
 * @param key client key (PKCS#8 DER, or PKCS#12 together with the certificate), or {@code null}
 */
record PostgresTls(boolean enabled, String mode, Path rootCert, Path cert, Path key) {
    private static final String P = Store.POSTGRES.keyPrefix();

    static final ConfigKey<String> MODE = ConfigKey.oneOf(P + "tls.mode", "How a TLS connection authenticates the"
            + " server: verify-full (CA and host name), verify-ca (CA only) or require (no check; not recommended).",
            "verify-full", "verify-full", "verify-ca", "require").withEnvAliases("POSTGRES_SSLMODE");
    static final ConfigKey<String> ROOT_CERT = ConfigKey.string(P + "tls.root-cert", "PEM file of the CA"
            + " certificate(s) the server's certificate must chain to (default: the JVM's trust store).", null)
            .withEnvAliases("POSTGRES_SSLROOTCERT");
    static final ConfigKey<String> CERT = ConfigKey.string(P + "tls.cert", "Client certificate (PEM) for mutual TLS.",
            null).withEnvAliases("POSTGRES_SSLCERT");
    static final ConfigKey<String> KEY = ConfigKey.string(P + "tls.key", "Client private key for mutual TLS (PKCS#8"
            + " DER, as PgJDBC reads it).", null).withEnvAliases("POSTGRES_SSLKEY");

    static List<ConfigKey<?>> keys() {
        return List.of(MODE, ROOT_CERT, CERT, KEY);
    }

    /**
     * Reads and checks the TLS settings: files must exist, and a client certificate needs its key.
     *
     * @throws ConfigurationException naming the key
     */
    static PostgresTls read(SuhoConfig c, boolean enabled) {
        Path root = file(c, ROOT_CERT);
        Path cert = file(c, CERT);
        Path key = file(c, KEY);
        if ((cert == null) != (key == null)) {
            ConfigKey<String> missing = cert == null ? CERT : KEY;
            throw new ConfigurationException(missing.name(), "mutual TLS needs both " + CERT.name() + " and "
                    + KEY.name() + "; set " + missing.name());
        }
        return new PostgresTls(enabled, c.get(MODE), root, cert, key);
    }

    private static Path file(SuhoConfig c, ConfigKey<String> key) {
        String v = c.optional(key).orElse(null);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v.trim());
        if (!Files.isReadable(p)) {
            throw new ConfigurationException(key.name(), key.name() + " = " + p + " is not a readable file; fix: point"
                    + " it at the file or unset it");
        }
        return p;
    }

    /** Adds the driver's TLS properties ({@code sslmode}, {@code sslrootcert}, {@code sslfactory}, …). */
    void apply(Properties p) {
        if (!enabled) {
            p.setProperty("sslmode", "disable");
            return;
        }
        p.setProperty("sslmode", mode);
        if (rootCert != null) {
            p.setProperty("sslrootcert", rootCert.toString());
        } else if (!mode.equals("require")) {
            // no CA file: verify against the JVM's trust store (PgJDBC's default would be ~/.postgresql/root.crt)
            p.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        }
        if (cert != null) {
            p.setProperty("sslcert", cert.toString());
            p.setProperty("sslkey", key.toString());
        }
    }
}
