package io.suho.client.messaging.internal;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.HostPort;
import io.suho.client.core.Secret;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import io.suho.client.messaging.HybridPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka module's settings, read and validated once at start, and the producer, admin and consumer properties
 * they mean for kafka-clients. Immutable.
 *
 * @param hosts bootstrap servers
 * @param tls connect with SSL
 * @param timeout the store timeout: how long a caller waits for an ack
 * @param deliveryTimeout how long the producer keeps retrying a record whose caller was answered "ambiguous"
 * @param topicPartitions partitions of topics created when the spec gives none
 * @param topicReplication replication factor of created topics when the spec gives none
 * @param topicRetention {@code retention.ms} of created topics when the spec gives none
 * @param hybridPolicy the hybrid publisher's default policy
 * @param hybridPolicies the hybrid publisher's policy per event type
 * @param clientOverrides {@code suho.kafka.client.*}: passed to every kafka-clients client
 * @param producerOverrides {@code suho.kafka.producer.*}
 * @param adminOverrides {@code suho.kafka.admin.*}
 * @param consumerOverrides {@code suho.kafka.consumer.*}
 */
record KafkaSettings(
        List<HostPort> hosts,
        boolean tls,
        Duration timeout,
        Duration deliveryTimeout,
        int topicPartitions,
        short topicReplication,
        Duration topicRetention,
        HybridPolicy hybridPolicy,
        Map<String, HybridPolicy> hybridPolicies,
        Map<String, String> clientOverrides,
        Map<String, String> producerOverrides,
        Map<String, String> adminOverrides,
        Map<String, String> consumerOverrides) {

    static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer("suho.kafka.topic.partitions",
            "Partitions of topics created by ensureTopic when the spec gives none.", 6, 1, 100_000);
    static final ConfigKey<Integer> REPLICATION = ConfigKey.integer("suho.kafka.topic.replication-factor",
            "Replication factor of created topics (1 on a single broker; 3 on a real cluster).", 1, 1, 32);
    static final ConfigKey<Duration> RETENTION = ConfigKey.duration("suho.kafka.topic.retention",
            "retention.ms of created topics.", Duration.ofHours(72));
    static final ConfigKey<Duration> DELIVERY_TIMEOUT = ConfigKey.duration("suho.kafka.delivery-timeout",
            "How long the producer keeps retrying a record whose caller was answered 'ambiguous' "
                    + "(delivery.timeout.ms); a re-send of the same event within it joins the first attempt instead "
                    + "of writing a second record.", Duration.ofMinutes(2));
    static final ConfigKey<HybridPolicy> HYBRID_POLICY = ConfigKey.custom("suho.messaging.hybrid.policy",
            "Default hybrid publish policy (BOTH, EITHER, NATS_FIRST, KAFKA_ONLY, NATS_ONLY); per event type: "
                    + "suho.messaging.hybrid.policy.<type>.", KafkaSettings::parsePolicy, Enum::name,
            HybridPolicy.BOTH);
    /** Per event type: {@code suho.messaging.hybrid.policy.<type>} (types need not be dotted lower-case). */
    static final String HYBRID_POLICY_PREFIX = HYBRID_POLICY.name() + ".";
    static final String CLIENT_PREFIX = "suho.kafka.client.";
    static final String PRODUCER_PREFIX = "suho.kafka.producer.";
    static final String ADMIN_PREFIX = "suho.kafka.admin.";
    static final String CONSUMER_PREFIX = "suho.kafka.consumer.";

    static final ConfigKey<String> SECURITY_PROTOCOL = ConfigKey.oneOf("suho.kafka.security-protocol",
            "security.protocol of every client: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: SSL with"
                    + " suho.kafka.tls=true, else PLAINTEXT).", null, "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
            .withEnvAliases("KAFKA_SECURITY_PROTOCOL");
    static final ConfigKey<String> TLS_CA_FILE = ConfigKey.string("suho.kafka.tls.ca-file", "PEM file of the CA"
            + " certificate(s) the brokers' certificates must chain to (ssl.truststore.type=PEM; default: the JVM's"
            + " trust store).", null).withEnvAliases("KAFKA_TLS_CA_FILE");
    static final ConfigKey<String> SASL_MECHANISM = ConfigKey.oneOf("suho.kafka.sasl.mechanism",
            "SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with sasl.username and sasl.password).", null,
            "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").withEnvAliases("KAFKA_SASL_MECHANISM");
    static final ConfigKey<String> SASL_USERNAME = ConfigKey.string("suho.kafka.sasl.username", "SASL user name.",
            null).withEnvAliases("KAFKA_SASL_USERNAME");
    static final ConfigKey<Secret> SASL_PASSWORD = ConfigKey.secret("suho.kafka.sasl.password",
            "SASL password (secret; KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE).", "KAFKA_SASL_PASSWORD");

    /** Reconnect backoff cap: a broker that is back is found within this (plus jitter). */
    static final int RECONNECT_BACKOFF_MAX_MS = 200;

    KafkaSettings {
        hosts = List.copyOf(hosts);
        hybridPolicies = Map.copyOf(hybridPolicies);
        clientOverrides = Map.copyOf(clientOverrides);
        producerOverrides = Map.copyOf(producerOverrides);
        adminOverrides = Map.copyOf(adminOverrides);
        consumerOverrides = Map.copyOf(consumerOverrides);
    }

    /** The module's documented keys, each with its default. */
    static List<ConfigKey<?>> keys() {
        return List.of(PARTITIONS, REPLICATION, RETENTION, DELIVERY_TIMEOUT, HYBRID_POLICY, SECURITY_PROTOCOL,
                TLS_CA_FILE, SASL_MECHANISM, SASL_USERNAME, SASL_PASSWORD);
    }

    /** Prefixes of the pass-through keys the module reads besides {@link #keys()}. */
    static List<String> prefixes() {
        return List.of(CLIENT_PREFIX, PRODUCER_PREFIX, ADMIN_PREFIX, CONSUMER_PREFIX, HYBRID_POLICY_PREFIX);
    }

    /** Reads and validates the settings; a bad value throws a {@link ConfigurationException} naming its key. */
    static KafkaSettings from(SuhoConfig config, Duration timeout) {
        List<HostPort> hosts = config.hosts(Store.KAFKA);
        boolean tls = config.get(StoreKeys.tlsKey(Store.KAFKA));
        return new KafkaSettings(hosts, tls, timeout,
                config.get(DELIVERY_TIMEOUT),
                config.get(PARTITIONS),
                config.get(REPLICATION).shortValue(),
                config.get(RETENTION),
                config.get(HYBRID_POLICY),
                hybridPolicies(config),
                security(config, tls),
                config.withPrefix(PRODUCER_PREFIX),
                config.withPrefix(ADMIN_PREFIX),
                config.withPrefix(CONSUMER_PREFIX));
    }

    /**
     * {@code security.protocol} and SASL from the typed keys (which the environment and {@code *_FILE} can set), under
     * the {@code suho.kafka.client.*} pass-through (which wins).
     */
    static Map<String, String> security(SuhoConfig config, boolean tls) {
        Map<String, String> out = new HashMap<>();
        config.optional(SECURITY_PROTOCOL).ifPresent(p -> out.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, p));
        config.optional(TLS_CA_FILE).ifPresent(ca -> {
            if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(ca.trim()))) {
                throw new ConfigurationException(TLS_CA_FILE.name(), TLS_CA_FILE.name() + " = " + ca
                        + " is not a readable file; fix: point it at the PEM file of the brokers' CA");
            }
            out.put("ssl.truststore.type", "PEM");
            out.put("ssl.truststore.location", ca.trim());
        });
        String mechanism = config.optional(SASL_MECHANISM).orElse(null);
        if (mechanism != null) {
            String user = config.optional(SASL_USERNAME).orElseThrow(() -> new ConfigurationException(
                    SASL_USERNAME.name(), SASL_MECHANISM.name() + " is set but " + SASL_USERNAME.name()
                    + " (KAFKA_SASL_USERNAME) is not"));
            Secret password = config.optional(SASL_PASSWORD).orElseThrow(() -> new ConfigurationException(
                    SASL_PASSWORD.name(), SASL_MECHANISM.name() + " is set but " + SASL_PASSWORD.name()
                    + " (KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE) is not"));
            String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            out.put("sasl.mechanism", mechanism);
            out.put("sasl.jaas.config", module + " required username=\"" + jaasQuote(user) + "\" password=\""
                    + jaasQuote(password.reveal()) + "\";");
            out.putIfAbsent(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, tls ? "SASL_SSL" : "SASL_PLAINTEXT");
        }
        out.putAll(config.withPrefix(CLIENT_PREFIX));
        return out;
    }

    private static String jaasQuote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Like the record's, with the values of credential-bearing client settings masked. */
    @Override
    public String toString() {
        Map<String, String> shown = new java.util.TreeMap<>();
        clientOverrides.forEach((k, v) -> shown.put(k, k.contains("jaas") || k.contains("password")
                || k.contains("secret") || k.contains("key") ? "****" : v));
        return "KafkaSettings[hosts=" + hosts + ", tls=" + tls + ", timeout=" + timeout + ", client=" + shown + "]";
    }

    /**
     * The per-type policies set through the builder or system properties; an invalid one throws a
     * {@link ConfigurationException} naming its key.
     */
    static Map<String, HybridPolicy> hybridPolicies(SuhoConfig config) {
        Map<String, HybridPolicy> perType = new HashMap<>();
        config.withPrefix(HYBRID_POLICY_PREFIX).forEach((type, value) -> {
            String key = HYBRID_POLICY_PREFIX + type;
            try {
                perType.put(type, parsePolicy(value));
            } catch (IllegalArgumentException e) {
                throw config.find(key).map(v -> config.invalid(v, e.getMessage())).orElseGet(() ->
                        new ConfigurationException(key, key + " = '" + value + "' is invalid: " + e.getMessage()));
            }
        });
        return perType;
    }

    /** {@code both}, {@code NATS_FIRST}, {@code nats-first}: case and dash or underscore do not matter. */
    private static HybridPolicy parsePolicy(String text) {
        try {
            return HybridPolicy.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected one of BOTH, EITHER, NATS_FIRST, KAFKA_ONLY, NATS_ONLY");
        }
    }

    /** Topic administration is slower than a produce and rare: it gets at least 5 s whatever the store timeout. */
    Duration adminWait() {
        return timeout.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : timeout;
    }

    /** How long close() lets the producer flush and the admin client finish: the store timeout, at most 5 s. */
    Duration closeGrace() {
        return timeout.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : timeout;
    }

    /** Bootstrap servers, security protocol and {@code suho.kafka.client.*}: shared by every client. */
    Properties connection() {
        Properties connection = new Properties();
        connection.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                hosts.stream().map(HostPort::toString).collect(Collectors.joining(",")));
        if (tls) {
            connection.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL"); // SASL_SSL comes with the overrides
        }
        connection.putAll(clientOverrides);
        return connection;
    }

    /**
     * The idempotent producer's properties: acks=all, lz4, 5 ms linger, the timeouts of {@link #kafkaTimeouts}, then
     * {@code suho.kafka.producer.*}; {@code delivery.timeout.ms} is raised to linger + request timeout if below.
     */
    Map<String, Object> producerProperties(String clientId) {
        Map<String, Object> p = withConnection();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        p.putAll(kafkaTimeouts(timeout, deliveryTimeout));
        p.putAll(producerOverrides);
        lingerCheck(p);
        return p;
    }

    /** True when {@code suho.kafka.producer.*} weakened acks=all or idempotence. */
    static boolean weakensDelivery(Map<String, Object> producer) {
        return !"all".equals(String.valueOf(producer.get(ProducerConfig.ACKS_CONFIG)))
                || !"true".equals(String.valueOf(producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)));
    }

    /** The admin client's properties: requests bounded by {@link #adminWait()}, then {@code suho.kafka.admin.*}. */
    Map<String, Object> adminProperties(String clientId) {
        int wait = (int) adminWait().toMillis();
        Map<String, Object> a = withConnection();
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, wait);
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, wait);
        a.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, RECONNECT_BACKOFF_MAX_MS);
        a.put("metadata.recovery.strategy", "rebootstrap");
        a.putAll(adminOverrides);
        return a;
    }

    /** What every consumer loop starts from (before its group, client id and deserializers). */
    Map<String, Object> consumerProperties() {
        Map<String, Object> c = withConnection();
        c.put("reconnect.backoff.max.ms", RECONNECT_BACKOFF_MAX_MS);
        c.put("metadata.recovery.strategy", "rebootstrap");
        c.put("default.api.timeout.ms", (int) Math.max(timeout.toMillis(), 5_000));
        c.putAll(consumerOverrides);
        return Map.copyOf(c);
    }

    private Map<String, Object> withConnection() {
        Map<String, Object> m = new HashMap<>();
        connection().forEach((k, v) -> m.put((String) k, v));
        return m;
    }

    /**
     * Producer timeouts derived from the store timeout T: {@code max.block.ms} = T (send() never blocks the caller
     * longer), {@code request.timeout.ms} = T/2 (a hung broker is dropped and the request retried), and
     * {@code delivery.timeout.ms} = the delivery timeout D (default 2 min): the producer keeps retrying an unacked
     * record with the same sequence number for D, after the caller was answered "ambiguous" at T. Reconnect backoff
     * and retry backoff capped at 200 ms, re-bootstrap on metadata loss.
     */
    static Map<String, Object> kafkaTimeouts(Duration t, Duration delivery) {
        int ms = (int) Math.min(Integer.MAX_VALUE / 2, t.toMillis());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        m.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, ms / 2));
        m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE / 2,
                Math.max(ms, delivery.toMillis())));
        m.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, RECONNECT_BACKOFF_MAX_MS);
        // a restarted broker answers NOT_LEADER until its partitions have leaders: re-check metadata and retry
        // every <= 200 ms instead of backing off to Kafka's 1 s
        m.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        m.put("retry.backoff.max.ms", RECONNECT_BACKOFF_MAX_MS);
        m.put("metadata.recovery.strategy", "rebootstrap");
        return m;
    }

    private static void lingerCheck(Map<String, Object> p) {
        int linger = Integer.parseInt(String.valueOf(p.get(ProducerConfig.LINGER_MS_CONFIG)));
        int request = Integer.parseInt(String.valueOf(p.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)));
        int delivery = Integer.parseInt(String.valueOf(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)));
        if (delivery < linger + request) {
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, linger + request);
        }
    }
}
