package io.suho.pipelines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.UuidV7;
import io.suho.events.Event;
import io.suho.events.EventFormatException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutboxRowTest {
    private static final UUID ID = UuidV7.next();
    private static final Timestamp CREATED = Timestamp.from(Instant.parse("2026-01-02T03:04:05.123Z"));
    private static final byte[] PAYLOAD = "{\"qty\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRowWithoutHeadersIsAJsonEventFromTheRelaysService() {
        Event e = new OutboxRow(ID, "orders", "o-1", "order.created", PAYLOAD, "{}", CREATED).toEvent("order-service");
        assertThat(e.id()).isEqualTo(ID);
        assertThat(e.type()).isEqualTo("order.created");
        assertThat(e.source()).isEqualTo("order-service");
        assertThat(e.key()).isEqualTo("o-1");
        assertThat(e.time()).isEqualTo(CREATED.toInstant());
        assertThat(e.contentType()).isEqualTo(Event.JSON);
        assertThat(e.payloadText()).isEqualTo("{\"qty\":1}");
        assertThat(e.headers()).isEmpty();
    }

    @Test
    void sourceAndContentTypeComeFromTheEnvelopeHeadersOtherCeHeadersAreDropped() {
        String headers = "{\"ce_source\":\"billing\",\"content-type\":\"text/plain\",\"ce_id\":\"x\",\"tenant\":\"t1\"}";
        Event e = new OutboxRow(ID, "orders", null, "order.paid", PAYLOAD, headers, CREATED).toEvent("order-service");
        assertThat(e.source()).isEqualTo("billing");
        assertThat(e.contentType()).isEqualTo("text/plain");
        assertThat(e.id()).isEqualTo(ID);
        assertThat(e.headers()).isEqualTo(Map.of("tenant", "t1"));
        assertThat(new OutboxRow(ID, "o", null, "t", PAYLOAD, "{\"ce-source\":\"nats-side\"}", CREATED)
                .toEvent("svc").source()).isEqualTo("nats-side");
    }

    @Test
    void headersThatAreNotAJsonObjectAreNamedWithTheRowId() {
        assertThatThrownBy(() -> new OutboxRow(ID, "o", null, "t", PAYLOAD, "[1,2]", CREATED).toEvent("svc"))
                .isInstanceOf(EventFormatException.class).hasMessageContaining(ID.toString());
    }
}
