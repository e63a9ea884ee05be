package io.suho.pipelines;

import io.micrometer.core.instrument.MeterRegistry;
import io.suho.client.analytics.AnalyticsClient;
import io.suho.client.analytics.TableSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EventSink} runs with, as {@link EventSink.Builder} built it: immutable, validated when it is made
 * (a message names the setting and the value), and readable afterwards through {@link EventSink#config()}.
 *
 * @param client where rows go ({@code suho.get(AnalyticsClient.class)})
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param topic the topic of {@link io.suho.events.Event} envelopes to consume
 * @param groupId the consumer group; offsets are committed under it
 * @param table the target table, created if missing
 * @param mapper maps each event to a row of {@code table}
 * @param deadLetterTopic where poison records go, or {@code null} to log and skip them
 * @param maxBatchRows rows per insert
 * @param maxBatchDelay the longest a record waits before its batch is sent
 * @param minBackoff first wait between insert attempts while ClickHouse is unavailable or does not answer
 * @param maxBackoff longest such wait (doubling from {@code minBackoff}, ±50 % jitter)
 * @param pollTimeout how long one Kafka poll waits for records
 * @param commitTimeout timeout of offset commits and dead-letter writes
 * @param registry where the sink's meters go
 * @param service the {@code service} tag of those meters
 * @param kafkaProperties extra consumer properties; they override the sink's defaults
 */
public record EventSinkConfig(AnalyticsClient client, String bootstrapServers, String topic, String groupId,
        TableSpec table, EventRowMapper mapper, @Nullable String deadLetterTopic, int maxBatchRows, Duration maxBatchDelay,
        Duration minBackoff, Duration maxBackoff, Duration pollTimeout, Duration commitTimeout,
        MeterRegistry registry, String service, Map<String, String> kafkaProperties) {

    /**
     * @throws IllegalArgumentException naming the setting that is missing or out of range
     */
    public EventSinkConfig {
        Objects.requireNonNull(client, "client");
        require(bootstrapServers, "bootstrapServers");
        require(topic, "topic");
        require(groupId, "groupId");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(maxBatchDelay, "maxDelay");
        Objects.requireNonNull(minBackoff, "min");
        Objects.requireNonNull(maxBackoff, "max");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(commitTimeout, "commitTimeout");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(service, "service");
        if (maxBatchRows < 1) {
            throw new IllegalArgumentException("batch maxRows must be at least 1, was " + maxBatchRows);
        }
        if (maxBatchDelay.isNegative() || maxBatchDelay.isZero()) {
            throw new IllegalArgumentException("batch maxDelay must be positive, was " + maxBatchDelay);
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 < min <= max, was " + minBackoff + ".."
                    + maxBackoff);
        }
        if (topic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("deadLetterTopic must differ from topic " + topic);
        }
        kafkaProperties = Collections.unmodifiableMap(new LinkedHashMap<>(kafkaProperties));
    }

    private static void require(String v, String name) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("EventSink " + name + " is not set");
        }
    }
}
