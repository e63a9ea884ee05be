package io.suho.hub;

import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.SuhoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where the hub keeps its registry ({@code SUHO_HUB_REGISTRY}): in memory, or in a NATS JetStream key-value bucket
 * ({@code SUHO_HUB_REGISTRY_BUCKET}, default {@code suho_registry}) on the NATS servers of {@code NATS_URL}, the same
 * variable the NATS probe uses (user and password, or a token, may be written in it; or a credentials file in
 * {@code SUHO_HUB_REGISTRY_NATS_CREDS}). Immutable.
 *
 * @param backend {@code memory} or {@code nats}
 * @param natsServers {@code nats://host:port} (or {@code tls://} when NATS_URL asks for TLS) for each NATS_URL host
 * @param user the NATS user written in NATS_URL, or {@code null}
 * @param password its password, or the token when NATS_URL carries one without a user, or {@code null}
 * @param credsFile a NATS {@code .creds} file, or {@code null}
 * @param bucket the KV bucket every hub of one platform shares
 * @param replicas copies a NATS cluster keeps of a bucket this hub creates
 * @param timeout bound of each registry write and of the start-up load
 */
public record RegistrySettings(String backend, List<String> natsServers, String user, Secret password,
        Path credsFile, String bucket, int replicas, Duration timeout) {

    /** Whether the registry is the shared NATS KV bucket. */
    public boolean nats() {
        return "nats".equals(backend);
    }

    static RegistrySettings read(SuhoConfig v, HubConfig.Target natsTarget) {
        String backend = v.get(HubKeys.REGISTRY);
        String bucket = v.get(HubKeys.REGISTRY_BUCKET);
        int replicas = v.get(HubKeys.REGISTRY_REPLICAS);
        Duration timeout = v.get(HubKeys.REGISTRY_TIMEOUT);
        Path creds = v.optional(HubKeys.REGISTRY_NATS_CREDS).map(Path::of).orElse(null);
        if (!"nats".equals(backend)) {
            return new RegistrySettings(backend, List.of(), null, null, null, bucket, replicas, timeout);
        }
        if (natsTarget == null) {
            throw new ConfigurationException("NATS_URL", "SUHO_HUB_REGISTRY=nats keeps the registry in NATS, but"
                    + " NATS_URL is not set; fix: set NATS_URL (e.g. nats://nats-1:4222,nats://nats-2:4222) or use"
                    + " SUHO_HUB_REGISTRY=memory");
        }
        if (creds != null && !Files.isReadable(creds)) {
            throw new ConfigurationException("SUHO_HUB_REGISTRY_NATS_CREDS", "SUHO_HUB_REGISTRY_NATS_CREDS = " + creds
                    + " is not a readable file; fix: point it at the NATS .creds file of the hub's user");
        }
        String scheme = natsTarget.tls() ? "tls://" : "nats://";
        List<String> servers = natsTarget.hosts().stream().map(HostPort::toString).map(h -> scheme + h).toList();
        return new RegistrySettings(backend, servers, natsTarget.user(), natsTarget.password(), creds, bucket,
                replicas, timeout);
    }

    static RegistrySettings read(SuhoConfig v, java.util.Map<Store, HubConfig.Target> targets) {
        return read(v, targets.get(Store.NATS));
    }

    @Override
    public String toString() {
        return "RegistrySettings[" + backend + (nats() ? " bucket=" + bucket + " replicas=" + replicas + " servers="
                + natsServers : "") + "]";
    }
}
