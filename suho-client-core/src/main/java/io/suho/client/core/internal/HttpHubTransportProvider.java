package io.suho.client.core.internal;

import io.suho.client.core.hub.HubTransport;
import io.suho.client.core.hub.HubTransportProvider;
import io.suho.client.core.hub.HubTransportSettings;

/** The built-in {@code http} hub transport: {@link HubClient} on the hub's {@code /v1} REST API. Stateless. */
public final class HttpHubTransportProvider implements HubTransportProvider {
    /** The value of {@code suho.hub.transport} that selects it (the default). */
    public static final String NAME = "http";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HubTransport open(HubTransportSettings s) {
        String scheme = s.uri().getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("the http hub transport needs an http:// or https:// URL, got " + s.uri());
        }
        return new HubClient(s.uri(), s.token(), s.readToken(), s.sslContext(), s.connectTimeout());
    }
}
