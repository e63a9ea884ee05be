package io.suho.hub;

import io.suho.client.core.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * The hub's certificate and key from PEM files ({@code SUHO_HUB_TLS_CERT}: the certificate chain, leaf first;
 * {@code SUHO_HUB_TLS_KEY}: an unencrypted PKCS#8 key, {@code -----BEGIN PRIVATE KEY-----}) as an in-memory keystore,
 * for operators whose PKI hands out PEM rather than PKCS#12.
 */
final class PemKeys {
    private PemKeys() {
    }

    /**
     * @param password the password the in-memory keystore is sealed with (Jetty is given the same)
     * @throws ConfigurationException naming the variable whose file is unusable
     */
    static KeyStore keyStore(Path certPem, Path keyPem, char[] password) {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certPem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException("no certificate in the file");
            }
            chain = certs.toArray(Certificate[]::new);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("SUHO_HUB_TLS_CERT", "SUHO_HUB_TLS_CERT = " + certPem
                    + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        PrivateKey key = privateKey(keyPem, chain[0].getPublicKey().getAlgorithm());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("hub", key, password, chain);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("SUHO_HUB_TLS_KEY", "SUHO_HUB_TLS_KEY does not match SUHO_HUB_TLS_CERT: "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyPem, String algorithm) {
        String text;
        try {
            text = Files.readString(keyPem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigurationException("SUHO_HUB_TLS_KEY", "SUHO_HUB_TLS_KEY = " + keyPem
                    + " cannot be read: " + e.getMessage(), e);
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new ConfigurationException("SUHO_HUB_TLS_KEY", "SUHO_HUB_TLS_KEY = " + keyPem + " is not an"
                    + " unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt -in old.key -out hub.key");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("SUHO_HUB_TLS_KEY", "SUHO_HUB_TLS_KEY = " + keyPem + " is not a "
                    + algorithm + " key matching the certificate: " + e.getMessage(), e);
        }
    }
}
