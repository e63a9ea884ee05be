package io.suho.client.core.spi;

import io.suho.client.core.internal.PemTrust;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * TLS trust from PEM files, for store modules whose driver takes an {@link SSLContext} or a
 * {@link TrustManagerFactory} rather than a CA file: trust in exactly the CA certificates of one PEM file, optionally
 * with a client certificate from a PKCS#12 keystore. Host names are verified by the driver. Stateless.
 */
public final class PemCertificates {
    private PemCertificates() {
    }

    /**
     * A TLS context trusting the CA certificates of {@code pemFile} (one or more {@code BEGIN CERTIFICATE} blocks).
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static SSLContext trusting(Path pemFile) throws IOException {
        return PemTrust.context(pemFile);
    }

    /**
     * A TLS context trusting the CA certificates of {@code pemFile} (or, when {@code null}, the JVM's trust store)
     * and presenting the client certificate of the PKCS#12 {@code keystore} (or none, when {@code null}), for stores
     * that ask for a client certificate (mutual TLS).
     *
     * @throws IOException when a file cannot be read, holds no certificate, or the password does not open it
     */
    public static SSLContext context(@Nullable Path pemFile, @Nullable Path keystore, char @Nullable [] password)
            throws IOException {
        return PemTrust.context(pemFile, keystore, password);
    }

    /**
     * Trust managers for exactly the CA certificates of {@code pemFile}, for drivers configured with a
     * {@link TrustManagerFactory} (Weaviate's client).
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static TrustManagerFactory trustManagers(Path pemFile) throws IOException {
        return PemTrust.trustManagers(pemFile);
    }
}
