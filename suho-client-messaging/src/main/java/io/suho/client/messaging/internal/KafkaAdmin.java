package io.suho.client.messaging.internal;

import io.suho.client.core.spi.StoreExecutor;
import io.suho.client.messaging.TopicSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic provisioning over the runtime's Admin client: creates a topic, or brings an existing one up to the spec
 * (more partitions, changed configs; never fewer partitions). Each call runs through the store's pipeline as
 * idempotent, its Admin requests bounded by {@link KafkaSettings#adminWait()}. Thread-safe.
 */
final class KafkaAdmin {
    private static final Logger log = LoggerFactory.getLogger(KafkaAdmin.class);

    private final AdminClient admin;
    private final StoreExecutor exec;
    private final KafkaSettings settings;

    KafkaAdmin(AdminClient admin, StoreExecutor exec, KafkaSettings settings) {
        this.admin = admin;
        this.exec = exec;
        this.settings = settings;
    }

    /** See {@link io.suho.client.messaging.KafkaClient#ensureTopic}: true when it created or changed the topic. */
    boolean ensureTopic(TopicSpec spec) {
        Objects.requireNonNull(spec, "spec");
        int partitions = spec.partitions() > 0 ? spec.partitions() : settings.topicPartitions();
        short rf = spec.replicationFactor() > 0 ? (short) spec.replicationFactor() : settings.topicReplication();
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("retention.ms", Long.toString((spec.retention() != null ? spec.retention()
                : settings.topicRetention()).toMillis()));
        configs.putAll(spec.configs());
        long wait = settings.adminWait().toMillis();
        return exec.call("ensure_topic", true, () -> {
            TopicDescription existing = describe(spec.name(), wait);
            if (existing == null) {
                try {
                    admin.createTopics(List.of(new NewTopic(spec.name(), partitions, rf).configs(configs))).all()
                            .get(wait, TimeUnit.MILLISECONDS);
                    log.info("created Kafka topic {} ({} partitions, rf {}, {})", spec.name(), partitions, rf, configs);
                    return true;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    existing = describe(spec.name(), wait); // another instance won the race: check what it made
                    if (existing == null) {
                        throw e;
                    }
                }
            }
            boolean changed = addPartitions(spec.name(), existing.partitions().size(), partitions, wait);
            return alterConfigs(spec.name(), configs, wait) || changed;
        });
    }

    private boolean addPartitions(String topic, int have, int partitions, long wait) throws Exception {
        if (have < partitions) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all()
                    .get(wait, TimeUnit.MILLISECONDS);
            log.warn("Kafka topic {} had {} partitions; increased to {} (key-to-partition mapping changes)",
                    topic, have, partitions);
            return true;
        }
        if (have > partitions) {
            log.info("Kafka topic {} has {} partitions, more than the {} asked for; kept", topic, have, partitions);
        }
        return false;
    }

    private boolean alterConfigs(String topic, Map<String, String> configs, long wait) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config current = admin.describeConfigs(List.of(res)).all().get(wait, TimeUnit.MILLISECONDS).get(res);
        List<AlterConfigOp> ops = new ArrayList<>();
        for (Map.Entry<String, String> e : configs.entrySet()) {
            ConfigEntry ce = current.get(e.getKey());
            if (ce == null || !e.getValue().equals(ce.value())) {
                ops.add(new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET));
            }
        }
        if (ops.isEmpty()) {
            return false;
        }
        admin.incrementalAlterConfigs(Map.of(res, ops)).all().get(wait, TimeUnit.MILLISECONDS);
        log.info("Kafka topic {}: altered {}", topic,
                ops.stream().map(o -> o.configEntry().name() + "=" + o.configEntry().value()).toList());
        return true;
    }

    private TopicDescription describe(String topic, long wait) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(wait, TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }
}
