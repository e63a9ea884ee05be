package io.suho.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventTest {

    record Order(String id, int qty, Instant at) {
    }

    @Test
    void idsAreVersion7AndStrictlyIncreasing() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Event.newId());
        }
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i).version()).isEqualTo(7);
            assertThat(ids.get(i).variant()).isEqualTo(2);
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
        }
    }

    @Test
    void jsonPayloadRoundTrips() {
        Order o = new Order("o-1", 3, Instant.parse("2026-01-02T03:04:05.123Z"));
        Event e = Event.builder("order.created").source("order-service").key("o-1").json(o).build();
        assertThat(e.contentType()).isEqualTo(Event.JSON);
        assertThat(e.payloadText()).contains("\"at\":\"2026-01-02T03:04:05.123Z\"");
        assertThat(e.payloadAs(Order.class)).isEqualTo(o);
    }

    @Test
    void unserialisablePayloadFailsNamingTheType() {
        Object cyclic = new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                return this;
            }
        };
        assertThatThrownBy(() -> Event.builder("order.created").source("s").json(cyclic))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("order.created")
                .hasMessageContaining("cannot serialise");
    }

    @Test
    void reservedOrMalformedHeadersAreRefused() {
        assertThatThrownBy(() -> Event.builder("t").header("ce_id", "x")).isInstanceOf(EventFormatException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> Event.builder("t").header("bad name", "x"))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("bad name");
        assertThatThrownBy(() -> Event.builder("t").build()).isInstanceOf(EventFormatException.class)
                .hasMessageContaining("source");
    }

    @Test
    void kafkaEnvelopeRoundTrips() {
        Event e = Event.builder("trade.executed").source("matcher").key("BTC-USD").header("tenant", "t1")
                .text("{\"px\":1}", Event.JSON).build();
        ProducerRecord<byte[], byte[]> pr = EventCodec.toKafka("trades", e);
        assertThat(new String(pr.headers().lastHeader("ce_specversion").value(), StandardCharsets.UTF_8))
                .isEqualTo("1.0");
        assertThat(new String(pr.headers().lastHeader("ce_time").value(), StandardCharsets.UTF_8))
                .isEqualTo(e.time().toString());
        assertThat(new String(pr.key(), StandardCharsets.UTF_8)).isEqualTo("BTC-USD");
        ConsumerRecord<byte[], byte[]> cr = new ConsumerRecord<>("trades", 2, 7L, 0L, TimestampType.CREATE_TIME,
                pr.key().length, pr.value().length, pr.key(), pr.value(), pr.headers(), Optional.empty());
        assertThat(Event.fromKafka(cr)).isEqualTo(e);
    }

    @Test
    void natsEnvelopeRoundTrips() {
        Event e = Event.builder("price.tick").source("md").key("ETH").headers(Map.of("venue", "x"))
                .payload(new byte[] {1, 2, 3}, "application/x-bin").build();
        NatsMessage m = EventCodec.toNats("prices.eth", e);
        assertThat(m.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(e.id().toString());
        assertThat(EventCodec.fromNats(m)).isEqualTo(e);
    }

    @Test
    void foreignRecordIsReportedNotMisread() {
        ConsumerRecord<byte[], byte[]> cr = new ConsumerRecord<>("t", 0, 1L, null, "x".getBytes());
        assertThatThrownBy(() -> Event.fromKafka(cr)).isInstanceOf(EventFormatException.class)
                .hasMessageContaining("ce_id").hasMessageContaining("t-0@1");
    }

    @Test
    void deadLetterErrorMessageIsOneBoundedLine() {
        assertThat(DeadLetters.errorMessage(new IllegalStateException("bad\r\nrow"))).isEqualTo("bad  row");
        assertThat(DeadLetters.errorMessage(new IllegalStateException("x".repeat(5000)))).hasSize(1000);
        assertThat(DeadLetters.errorMessage(new IllegalStateException())).isEmpty();
    }

    @Test
    void envelopeHeadersAreTheSameAttributesOnBothTransports() {
        Event e = Event.builder("order.created").source("orders").key("o-9").text("{}", Event.JSON).build();
        ProducerRecord<byte[], byte[]> kafka = EventCodec.toKafka("orders", e);
        NatsMessage nats = EventCodec.toNats("orders.created", e);
        for (String attribute : List.of("specversion", "id", "type", "source", "time")) {
            assertThat(new String(kafka.headers().lastHeader("ce_" + attribute).value(), StandardCharsets.UTF_8))
                    .as(attribute).isEqualTo(nats.getHeaders().getFirst("ce-" + attribute));
        }
        assertThat(nats.getHeaders().getFirst("ce-partitionkey")).isEqualTo("o-9");
        assertThat(kafka.headers().lastHeader("ce_partitionkey")).isNull();
    }

    @Test
    void traceContextTravelsAsW3cHeadersOnBothTransports() {
        String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Event e = Event.builder("order.created").source("orders").key("o-1").text("{}", Event.JSON)
                .traceparent(tp).tracestate("vendor=x").build();
        ProducerRecord<byte[], byte[]> kafka = EventCodec.toKafka("orders", e);
        assertThat(new String(kafka.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)).isEqualTo(tp);
        assertThat(new String(kafka.headers().lastHeader("tracestate").value(), StandardCharsets.UTF_8))
                .isEqualTo("vendor=x");
        ConsumerRecord<byte[], byte[]> cr = new ConsumerRecord<>("orders", 0, 1L, 0L, TimestampType.CREATE_TIME,
                kafka.key().length, kafka.value().length, kafka.key(), kafka.value(), kafka.headers(), Optional.empty());
        Event back = Event.fromKafka(cr);
        assertThat(back.traceparent()).isEqualTo(tp);
        assertThat(back.tracestate()).isEqualTo("vendor=x");
        assertThat(back.headers()).doesNotContainKeys("traceparent", "tracestate");
        NatsMessage nats = EventCodec.toNats("orders.created", e);
        assertThat(nats.getHeaders().getFirst("traceparent")).isEqualTo(tp);
        assertThat(EventCodec.fromNats(nats).traceparent()).isEqualTo(tp);
        String next = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01";
        assertThat(e.withTraceContext(Map.of("traceparent", next)).traceparent()).isEqualTo(next);
        assertThat(e.withTraceContext(Map.of())).isSameAs(e);
    }

    @Test
    void malformedTraceContextIsRefusedWhenBuiltAndDroppedWhenRead() {
        assertThatThrownBy(() -> Event.builder("t").source("s").traceparent("00-abc-01"))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("W3C trace context");
        assertThatThrownBy(() -> Event.builder("t").source("s").header("traceparent", "x"))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("reserved");
        Event e = Event.builder("t").source("s").build();
        ProducerRecord<byte[], byte[]> pr = EventCodec.toKafka("t", e);
        pr.headers().add("traceparent", "garbage".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> cr = new ConsumerRecord<>("t", 0, 1L, 0L, TimestampType.CREATE_TIME, 0,
                pr.value().length, null, pr.value(), pr.headers(), Optional.empty());
        assertThat(Event.fromKafka(cr).traceparent()).isNull();
    }
}
