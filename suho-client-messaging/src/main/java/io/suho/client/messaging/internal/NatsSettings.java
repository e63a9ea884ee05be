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

    NatsSettings {
        hosts = List.copyOf(hosts);
    }

    /** The module's documented keys, each with its default. */
    static List<ConfigKey<?>> keys() {
        return List.of(RECONNECT_WAIT, RECONNECT_BUFFER, PING_INTERVAL);
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
