package io.suho.pipelines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.analytics.AnalyticsClient;
import io.suho.pipelines.EventSink;
import java.lang.reflect.Proxy;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class SinkConsumerPropsTest {
    private static final AnalyticsClient UNUSED = (AnalyticsClient) Proxy.newProxyInstance(
            AnalyticsClient.class.getClassLoader(), new Class<?>[] {AnalyticsClient.class}, (p, m, a) -> {
                throw new UnsupportedOperationException(m.getName());
            });

    private static EventSink.Builder sink() {
        return EventSink.builder(UNUSED).bootstrapServers("localhost:9092").topic("orders").groupId("g");
    }

    /** A dead member holds its partitions until its session times out: 10 s, not Kafka's 45 s. */
    @Test
    void aDeadSinksPartitionsAreFreedAfterTenSeconds() {
        Properties p = SinkLoop.consumerProps(sink().build().config());
        assertThat(p.getProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo("10000");
        assertThat(p.getProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo("3000");
        assertThat(p.getProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG)).isEqualTo("60000");
        assertThat(p.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(p.getProperty(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("g");
    }

    @Test
    void theApplicationsKafkaPropertiesWin() {
        Properties p = SinkLoop.consumerProps(sink().kafkaProperty("session.timeout.ms", "30000").build().config());
        assertThat(p.getProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo("30000");
    }
}
