package io.suho.hub;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.Secret;
import io.suho.client.core.SuhoConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hub's TLS identity and client-certificate CA as {@link HubConfig} reads them: a PKCS#12 keystore with its
 * password, or a PEM certificate and key, never both nor half of one; a client CA only with TLS. Immutable.
 *
 * @param keystore {@code SUHO_HUB_TLS_KEYSTORE}, or {@code null}
 * @param keystorePassword its password, present whenever the keystore is
 * @param cert {@code SUHO_HUB_TLS_CERT}, or {@code null}
 * @param key {@code SUHO_HUB_TLS_KEY}, present whenever the certificate is
 * @param clientCa {@code SUHO_HUB_TLS_CLIENT_CA}, or {@code null}
 */
record HubTls(Path keystore, Secret keystorePassword, Path cert, Path key, Path clientCa) {

    /** @throws ConfigurationException naming the variable of an incomplete or unreadable setting */
    static HubTls read(SuhoConfig v) {
        Path keystore = v.optional(HubKeys.TLS_KEYSTORE).map(x -> Path.of(x.trim())).orElse(null);
        Secret keystorePassword = v.optional(HubKeys.TLS_KEYSTORE_PASSWORD).orElse(null);
        if (keystore != null && !Files.isReadable(keystore)) {
            throw new ConfigurationException("SUHO_HUB_TLS_KEYSTORE", "SUHO_HUB_TLS_KEYSTORE = " + keystore
                    + " is not a readable file; fix: point it at a PKCS#12 keystore with the hub's certificate and"
                    + " key");
        }
        if (keystore != null && keystorePassword == null) {
            throw new ConfigurationException("SUHO_HUB_TLS_KEYSTORE_PASSWORD", "SUHO_HUB_TLS_KEYSTORE is set but"
                    + " SUHO_HUB_TLS_KEYSTORE_PASSWORD (or SUHO_HUB_TLS_KEYSTORE_PASSWORD_FILE) is not");
        }
        Path cert = v.optional(HubKeys.TLS_CERT).map(x -> Path.of(x.trim())).orElse(null);
        Path key = v.optional(HubKeys.TLS_KEY).map(x -> Path.of(x.trim())).orElse(null);
        if ((cert == null) != (key == null) || cert != null && keystore != null) {
            throw new ConfigurationException(keystore != null ? "SUHO_HUB_TLS_CERT" : cert == null
                    ? "SUHO_HUB_TLS_CERT" : "SUHO_HUB_TLS_KEY", "give the hub's TLS identity either as"
                    + " SUHO_HUB_TLS_KEYSTORE (PKCS#12) or as SUHO_HUB_TLS_CERT + SUHO_HUB_TLS_KEY (PEM), completely");
        }
        boolean tls = keystore != null || cert != null;
        Path clientCa = v.optional(HubKeys.TLS_CLIENT_CA).map(x -> Path.of(x.trim())).orElse(null);
        if (clientCa != null && (!tls || !Files.isReadable(clientCa))) {
            throw new ConfigurationException("SUHO_HUB_TLS_CLIENT_CA", !tls
                    ? "SUHO_HUB_TLS_CLIENT_CA needs the hub's TLS identity (SUHO_HUB_TLS_KEYSTORE or"
                            + " SUHO_HUB_TLS_CERT + SUHO_HUB_TLS_KEY)"
                    : "SUHO_HUB_TLS_CLIENT_CA = " + clientCa + " is not a readable file; fix: point it at the PEM"
                            + " file of the CA that signs the services' client certificates");
        }
        return new HubTls(keystore, keystorePassword, cert, key, clientCa);
    }
}
