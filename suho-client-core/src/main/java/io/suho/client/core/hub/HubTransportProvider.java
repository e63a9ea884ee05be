package io.suho.client.core.hub;

/**
 * Makes {@link HubTransport}s of one wire protocol. The SDK finds providers with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/io.suho.client.core.hub.HubTransportProvider} entry) and picks the one whose
 * {@link #name()} equals {@code suho.hub.transport} ({@code http} by default, built in). A provider is stateless;
 * every transport it opens is owned and closed by the SDK.
 */
public interface HubTransportProvider {

    /** The value of {@code suho.hub.transport} that selects this provider, lower case, e.g. {@code http}, {@code grpc}. */
    String name();

    /**
     * Opens a transport to one hub (no network call needed yet; the first call may connect).
     *
     * @throws IllegalArgumentException when the settings do not fit this transport (e.g. an unsupported URI); the
     *     SDK reports it as a configuration error naming {@code suho.hub.urls}
     */
    HubTransport open(HubTransportSettings settings);
}
