package io.suho.events;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The envelope on NATS messages ({@link CloudEventHeaders#NATS}, plus {@code Nats-Msg-Id} = event id for JetStream
 * deduplication). Kept apart from {@link EventCodec} so that only a caller of the NATS methods needs jnats on the
 * classpath.
 */
final class NatsEnvelope {
    private NatsEnvelope() {
    }

    static Headers toHeaders(Event event) {
        Headers h = new Headers();
        h.put(EventCodec.NATS_MSG_ID, event.id().toString());
        CloudEventHeaders.NATS.write(event, h::put);
        return h;
    }

    static NatsMessage toMessage(String subject, Event event) {
        return NatsMessage.builder().subject(subject).headers(toHeaders(event)).data(event.payloadUnsafe()).build();
    }

    static Event fromMessage(Message message) {
        String where = "NATS message on " + message.getSubject();
        Headers h = message.getHeaders();
        if (h == null) {
            throw new EventFormatException(where + " has no headers, so it is not a Suho event");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : h.keySet()) {
            List<String> values = h.get(name);
            if (values == null || values.isEmpty()) {
                continue;
            }
            // the envelope's own headers are read first-wins (getFirst), a user header keeps its last value
            headers.put(name, values.get(Event.reservedHeader(name) ? 0 : values.size() - 1));
        }
        return CloudEventHeaders.NATS.read(where, headers, EventCodec.NATS_MSG_ID, null, message.getData(), -1);
    }
}
