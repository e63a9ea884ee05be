package io.suho.client.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} that trusts exactly the CA certificates of one PEM file (one or more
 * {@code -----BEGIN CERTIFICATE-----} blocks), for talking to a server whose certificate a private CA signed.
 * Host names are still verified by the client that uses the context.
 */
public final class PemTrust {
    private PemTrust() {
    }

    /**
     * Reads the certificates of {@code pemFile} into a trust-only context.
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static SSLContext context(Path pemFile) throws IOException {
        return context(pemFile, null, null);
    }

    /**
     * A context trusting the CAs of {@code pemFile} (or, {@code null}, the JVM's trust store) and presenting the
     * client certificate of a PKCS#12 {@code keystore} (or none).
     *
     * @throws IOException when a file cannot be read, holds no certificate, or the password does not open it
     */
    public static SSLContext context(Path pemFile, Path keystore, char[] password) throws IOException {
        javax.net.ssl.KeyManager[] keys = null;
        if (keystore != null) {
            try (InputStream in = Files.newInputStream(keystore)) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, password);
                javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
                keys = kmf.getKeyManagers();
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot open keystore " + keystore + ": " + e.getMessage(), e);
            }
        }
        if (pemFile == null) {
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(keys, null, null);
                return ssl;
            } catch (GeneralSecurityException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(keys, trustManagers(pemFile).getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Trust managers for exactly the CA certificates of {@code pemFile}.
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static TrustManagerFactory trustManagers(Path pemFile) throws IOException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException("no certificate in " + pemFile);
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read CA certificates from " + pemFile + ": " + e.getMessage(), e);
        }
    }
}
