package io.suho.client.core.hub;

import io.suho.client.core.Secret;
import io.suho.client.core.SuhoConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link HubTransportProvider} needs to open a transport to one hub, resolved by the SDK from the
 * {@code suho.hub.*} keys. The TLS material comes twice: as a ready {@link SSLContext} (for clients that take one,
 * like {@code java.net.http}) and as the files it was made from (for clients that build their own, like gRPC's
 * Netty). Immutable.
 *
 * @param uri the hub, one entry of {@code suho.hub.urls} (or {@code suho.hub.url}); {@code https} means TLS
 * @param token the write token registration presents ({@code suho.hub.token}), or {@code null}
 * @param readToken the token reads present ({@code suho.hub.read-token}, defaulting to {@code token}), or {@code null}
 * @param sslContext trust (and client certificate) for a TLS hub, or {@code null} for the JVM's defaults
 * @param caFile the PEM file of CA certificates behind {@code sslContext} ({@code suho.hub.tls.ca-file}), or
 *     {@code null} for the JVM's trust store
 * @param keystore the PKCS#12 client certificate ({@code suho.hub.tls.keystore}), or {@code null}
 * @param keystorePassword its password, or {@code null}
 * @param connectTimeout how long opening a connection may take ({@code suho.hub.timeout})
 * @param config the SDK's whole resolved configuration, for a transport's own keys
 */
public record HubTransportSettings(URI uri, @Nullable Secret token, @Nullable Secret readToken,
        @Nullable SSLContext sslContext, @Nullable Path caFile, @Nullable Path keystore,
        @Nullable Secret keystorePassword, Duration connectTimeout, SuhoConfig config) {
}
