package io.suho.hub;

import io.suho.client.core.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collection;

/** The trust store of the CAs whose client certificates the hub accepts for registrations (mutual TLS). */
final class ClientCertificates {
    private ClientCertificates() {
    }

    /**
     * The certificates of a PEM file as an in-memory trust store.
     *
     * @throws ConfigurationException naming {@code SUHO_HUB_TLS_CLIENT_CA} when the file holds no certificate
     */
    static KeyStore trustStore(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException("no certificate in the file");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("client-ca-" + i++, c);
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("SUHO_HUB_TLS_CLIENT_CA", "SUHO_HUB_TLS_CLIENT_CA = " + pem
                    + " is not a PEM file of CA certificates: " + e.getMessage(), e);
        }
    }
}
