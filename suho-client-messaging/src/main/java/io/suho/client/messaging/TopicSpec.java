package io.suho.client.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The desired shape of a Kafka topic for {@link KafkaClient#ensureTopic}. Zero / {@code null} fields take the
 * module defaults ({@code suho.kafka.topic.partitions} 6, {@code .replication-factor} 1, {@code .retention} 72h —
 * the seed's single-broker settings). Extra topic configs (e.g. {@code cleanup.policy}) go in {@code configs}.
 * Immutable.
 *
 * @param name topic name ({@code [A-Za-z0-9._-]}, up to 249 characters)
 * @param partitions partition count, or 0 for the default
 * @param replicationFactor replication factor, or 0 for the default
 * @param retention {@code retention.ms}, or {@code null} for the default
 * @param configs further topic configs
 */
public record TopicSpec(String name, int partitions, int replicationFactor, @Nullable Duration retention,
        Map<String, String> configs) {

    public TopicSpec {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("Kafka topic name " + name + " must be 1-249 of [A-Za-z0-9._-]");
        }
        if (partitions < 0 || replicationFactor < 0) {
            throw new IllegalArgumentException("topic " + name + ": partitions and replication factor must be >= 0");
        }
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }

    /** A topic with the module defaults. */
    public static TopicSpec of(String name) {
        return new TopicSpec(name, 0, 0, null, Map.of());
    }

    public TopicSpec withPartitions(int n) {
        return new TopicSpec(name, n, replicationFactor, retention, configs);
    }

    public TopicSpec withReplicationFactor(int n) {
        return new TopicSpec(name, partitions, n, retention, configs);
    }

    public TopicSpec withRetention(Duration d) {
        return new TopicSpec(name, partitions, replicationFactor, Objects.requireNonNull(d, "retention"), configs);
    }

    public TopicSpec withConfigs(Map<String, String> more) {
        return new TopicSpec(name, partitions, replicationFactor, retention, more);
    }
}
