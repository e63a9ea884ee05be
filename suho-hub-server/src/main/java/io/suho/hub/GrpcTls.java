package io.suho.hub;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.suho.client.core.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The gRPC port's TLS: the same identity as the HTTP API ({@code SUHO_HUB_TLS_KEYSTORE}, or {@code SUHO_HUB_TLS_CERT}
 * + {@code SUHO_HUB_TLS_KEY}) and, with {@code SUHO_HUB_TLS_CLIENT_CA}, client certificates asked of every caller and
 * required by registrations only (as over HTTPS). The protocol versions are the JVM's (TLS 1.3 and 1.2 on Java 17);
 * HTTP/2 over TLS is negotiated with ALPN.
 */
final class GrpcTls {
    private GrpcTls() {
    }

    /** The server credentials for {@code config}, or {@code null} when the hub serves plain HTTP. */
    static ServerCredentials credentials(HubConfig config) {
        if (!config.tls()) {
            return null;
        }
        try {
            KeyStore keys;
            char[] password;
            if (config.tlsKeystore().isPresent()) {
                password = config.tlsKeystorePassword().orElseThrow().revealChars();
                keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(config.tlsKeystore().get())) {
                    keys.load(in, password);
                }
            } else {
                // PEM certificate + key, sealed in memory under a random one-off password (as for Jetty)
                password = UUID.randomUUID().toString().toCharArray();
                keys = PemKeys.keyStore(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow(), password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(kmf.getKeyManagers());
            if (config.tlsClientCa().isPresent()) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ClientCertificates.trustStore(config.tlsClientCa().get()));
                b.trustManager(tmf.getTrustManagers()).clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
            }
            return b.build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("SUHO_HUB_TLS_KEYSTORE", "the hub's TLS identity cannot be used for the"
                    + " gRPC port: " + e.getMessage(), e);
        }
    }
}
