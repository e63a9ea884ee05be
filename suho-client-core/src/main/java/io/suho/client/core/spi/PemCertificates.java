package io.suho.client.core.spi;

import io.suho.client.core.internal.PemTrust;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * TLS trust from PEM files, for store modules whose driver takes an {@link SSLContext} rather than a CA file: a
 * context that trusts exactly the CA certificates of one PEM file. Host names are verified by the driver.
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
}
