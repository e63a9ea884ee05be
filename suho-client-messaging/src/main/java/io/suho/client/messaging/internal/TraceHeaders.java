package io.suho.client.messaging.internal;

import io.suho.events.Event;
import io.suho.events.EventCodec;
import java.util.Map;

/** The W3C trace headers a received event came with, for the consumer observation to continue from. */
final class TraceHeaders {
    private TraceHeaders() {
    }

    static Map<String, String> of(Event event) {
        if (event.traceparent() == null) {
            return Map.of();
        }
        return event.tracestate() == null ? Map.of(EventCodec.TRACEPARENT, event.traceparent())
                : Map.of(EventCodec.TRACEPARENT, event.traceparent(), EventCodec.TRACESTATE, event.tracestate());
    }
}
