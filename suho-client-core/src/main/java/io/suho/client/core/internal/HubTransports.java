package io.suho.client.core.internal;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.hub.HubTransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the {@link HubTransportProvider} that {@code suho.hub.transport} names, with {@link ServiceLoader}. */
final class HubTransports {
    /** The optional artifact that provides the {@code grpc} transport. */
    static final String GRPC_ARTIFACT = "io.suho:suho-hub-grpc";

    private HubTransports() {
    }

    /**
     * @throws ConfigurationException naming {@code suho.hub.transport} when no provider has that name (for
     *     {@code grpc}: naming the artifact to add) or a provider cannot be loaded
     */
    static HubTransportProvider provider(String name, ClassLoader loader) {
        List<HubTransportProvider> found = new ArrayList<>();
        try {
            ServiceLoader.load(HubTransportProvider.class,
                    loader == null ? HubTransports.class.getClassLoader() : loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException(ClientKeys.HUB_TRANSPORT.name(), "a hub transport on the classpath "
                    + "cannot be loaded: " + e.getMessage() + "; fix: align all io.suho artifacts with io.suho:suho-bom",
                    e);
        }
        if (HttpHubTransportProvider.NAME.equals(name) && found.stream().noneMatch(p -> p.name().equals(name))) {
            return new HttpHubTransportProvider(); // built in, even when a class loader hides core's services file
        }
        for (HubTransportProvider p : found) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        TreeSet<String> names = new TreeSet<>();
        names.add(HttpHubTransportProvider.NAME);
        found.forEach(p -> names.add(p.name()));
        String fix = "grpc".equals(name)
                ? "add the dependency " + GRPC_ARTIFACT + " (version from io.suho:suho-bom) or set "
                        + ClientKeys.HUB_TRANSPORT.name() + "=http"
                : "use one of " + names;
        throw new ConfigurationException(ClientKeys.HUB_TRANSPORT.name(), ClientKeys.HUB_TRANSPORT.name() + " = "
                + name + " but no hub transport of that name is on the classpath (found: " + names + "); fix: " + fix);
    }
}
