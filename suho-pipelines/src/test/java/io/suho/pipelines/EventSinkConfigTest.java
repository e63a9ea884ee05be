package io.suho.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.analytics.AnalyticsClient;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventSinkConfigTest {
    /** Building a sink never calls its client; this one fails loudly if it were called. */
    private static final AnalyticsClient UNUSED = (AnalyticsClient) Proxy.newProxyInstance(
            AnalyticsClient.class.getClassLoader(), new Class<?>[] {AnalyticsClient.class}, (p, m, a) -> {
                throw new UnsupportedOperationException("building a sink must not call the client: " + m.getName());
            });

    private static EventSink.Builder valid() {
        return EventSink.builder(UNUSED).bootstrapServers("localhost:9092").topic("trades.v1").groupId("g");
    }

    @Test
    void defaultsGiveTheGenericEventTableNamedAfterTheTopic() {
        EventSinkConfig cfg = valid().build().config();
        assertThat(cfg.table().name()).isEqualTo("trades_v1_events");
        assertThat(cfg.mapper()).isSameAs(EventTable.MAPPER);
        assertThat(cfg.maxBatchRows()).isEqualTo(10_000);
        assertThat(cfg.maxBatchDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(cfg.deadLetterTopic()).isNull();
    }

    @Test
    void missingSettingsAreNamed() {
        assertThatThrownBy(() -> EventSink.builder(UNUSED).topic("t").groupId("g").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("EventSink bootstrapServers is not set");
        assertThatThrownBy(() -> EventSink.builder(UNUSED).bootstrapServers("h:1").groupId("g").build())
                .hasMessage("EventSink topic is not set");
        assertThatThrownBy(() -> EventSink.builder(UNUSED).bootstrapServers("h:1").topic("t").build())
                .hasMessage("EventSink groupId is not set");
    }

    @Test
    void outOfRangeSettingsAreRefusedWithTheirValue() {
        assertThatThrownBy(() -> valid().batch(0, Duration.ofSeconds(1)).build())
                .hasMessageContaining("maxRows").hasMessageContaining("0");
        assertThatThrownBy(() -> valid().batch(10, Duration.ZERO).build()).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessageContaining("backoff");
        assertThatThrownBy(() -> valid().deadLetterTopic("trades.v1").build())
                .hasMessageContaining("deadLetterTopic must differ");
    }

    @Test
    void theConfigIsACopyTheBuilderCannotChangeLater() {
        EventSink.Builder b = valid().kafkaProperty("fetch.min.bytes", "1");
        EventSinkConfig cfg = b.build().config();
        b.kafkaProperty("fetch.max.wait.ms", "10");
        assertThat(cfg.kafkaProperties()).isEqualTo(Map.of("fetch.min.bytes", "1"));
        assertThatThrownBy(() -> cfg.kafkaProperties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }
}
