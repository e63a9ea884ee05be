package io.suho.client.messaging.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The NATS module's settings, read and validated once at start. Immutable; {@link #toString()} masks the password
 * (it is a {@link Secret}).
 *
 * @param hosts the servers jnats connects and reconnects to
 * @param tls connect with {@code tls://} instead of {@code nats://}
 * @param user user name; with a password it is user/password authentication
 * @param password password, or the token when there is no user
 * @param timeout the store timeout: connection timeout, JetStream request timeout, publish ack wait
 * @param reconnectWait wait between reconnect attempts (reconnects never give up)
 * @param reconnectBufferBytes bytes of publishes jnats buffers while reconnecting
 * @param pingInterval ping interval; two missed pongs mark a hung server as disconnected
 */
record NatsSettings(
        List<HostPort> hosts,
        boolean tls,
        Optional<String> user,
        Optional<Secret> password,
        Duration timeout,
        Duration reconnectWait,
        long reconnectBufferBytes,
        Duration pingInterval) {

    static final ConfigKey<Duration> RECONNECT_WAIT = ConfigKey.duration("suho.nats.reconnect-wait",
            "Wait between reconnect attempts (reconnects never give up).", Duration.ofMillis(100));
    static final ConfigKey<Long> RECONNECT_BUFFER = ConfigKey.longNumber("suho.nats.reconnect-buffer-bytes",
            "Bytes of publishes jnats buffers while reconnecting; beyond it publishes fail at once.",
            8L * 1024 * 1024, -1, Long.MAX_VALUE);
    static final ConfigKey<Duration> PING_INTERVAL = ConfigKey.duration("suho.nats.ping-interval",
            "Ping interval; two missed pongs mark a hung server as disconnected.", Duration.ofSeconds(5));

    static final ConfigKey<String> CREDS_FILE = ConfigKey.string("suho.nats.creds-file", "NATS credentials file"
            + " (user JWT + NKey seed, as nsc writes it) for decentralised auth; wins over user/password/token.",
            null).withEnvAliases("NATS_CREDS", "NATS_CREDS_FILE");
    static final ConfigKey<String> TLS_CA_FILE = ConfigKey.string("suho.nats.tls.ca-file", "PEM file of the CA"
            + " certificate(s) the servers' certificates must chain to, with TLS (default: the JVM's trust store).",
            null).withEnvAliases("NATS_TLS_CA_FILE");
    static final ConfigKey<Secret> NKEY_SEED = ConfigKey.secret("suho.nats.nkey-seed", "NKey seed (SU…) for NKey"
            + " authentication (secret; NATS_NKEY_SEED or NATS_NKEY_SEED_FILE).", "NATS_NKEY_SEED");

    NatsSettings {
        hosts = List.copyOf(hosts);
    }

    /** The module's documented keys, each with its default. */
    static List<ConfigKey<?>> keys() {
        return List.of(RECONNECT_WAIT, RECONNECT_BUFFER, PING_INTERVAL, CREDS_FILE, NKEY_SEED, TLS_CA_FILE);
    }

    /**
     * A TLS context trusting {@code suho.nats.tls.ca-file} when set (and TLS is on); empty for the JVM's trust store.
     *
     * @throws ConfigurationException naming the key when the file is not a readable PEM file of certificates
     */
    static Optional<javax.net.ssl.SSLContext> sslContext(SuhoConfig config) {
        String ca = config.optional(TLS_CA_FILE).map(String::trim).orElse(null);
        if (ca == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(io.suho.client.core.spi.PemCertificates.trusting(java.nio.file.Path.of(ca)));
        } catch (java.io.IOException | RuntimeException e) {
            throw new ConfigurationException(TLS_CA_FILE.name(), TLS_CA_FILE.name() + " = " + ca + " is not a"
                    + " readable PEM file of CA certificates: " + e.getMessage() + "; fix: point it at the servers' CA");
        }
    }

    /**
     * The credentials-file or NKey authentication, when configured (checked: the file must be readable, a seed
     * must look like a user seed); empty for user/password, token or no authentication.
     *
     * @throws ConfigurationException naming the key
     */
    static Optional<io.nats.client.AuthHandler> authHandler(SuhoConfig config) {
        String creds = config.optional(CREDS_FILE).orElse(null);
        if (creds != null) {
            if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(creds.trim()))) {
                throw new ConfigurationException(CREDS_FILE.name(), CREDS_FILE.name() + " = " + creds
                        + " is not a readable file; fix: point it at the .creds file nsc generated");
            }
            return Optional.of(io.nats.client.Nats.credentials(creds.trim()));
        }
        Optional<Secret> seed = config.optional(NKEY_SEED);
        if (seed.isPresent()) {
            char[] s = seed.get().revealChars();
            if (s.length < 2 || s[0] != 'S' || s[1] != 'U') {
                throw new ConfigurationException(NKEY_SEED.name(), NKEY_SEED.name() + " is not a user NKey seed"
                        + " (it starts with SU); fix: use the seed nsc or nk -gen user printed");
            }
            return Optional.of(io.nats.client.Nats.staticCredentials(null, s));
        }
        return Optional.empty();
    }

    /** Reads and validates the settings; a bad value throws a {@link ConfigurationException} naming its key. */
    static NatsSettings from(SuhoConfig config, Duration timeout) {
        boolean tls = config.get(StoreKeys.tlsKey(Store.NATS));
        List<HostPort> hosts = config.hosts(Store.NATS);
        return new NatsSettings(hosts, tls,
                config.optional(StoreKeys.userKey(Store.NATS)),
                config.optional(StoreKeys.passwordKey(Store.NATS)),
                timeout,
                config.get(RECONNECT_WAIT),
                config.get(RECONNECT_BUFFER),
                config.get(PING_INTERVAL));
    }

    /** One URL per host: {@code nats://host:port}, or {@code tls://host:port}. */
    String[] urls() {
        return hosts.stream().map(h -> (tls ? "tls://" : "nats://") + h.host() + ":" + h.port())
                .toArray(String[]::new);
    }
}
