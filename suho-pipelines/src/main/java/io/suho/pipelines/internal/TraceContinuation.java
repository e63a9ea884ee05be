package io.suho.pipelines.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.suho.events.EventCodec;
import java.util.HashMap;
import java.util.Map;

/**
 * A consumer-side observation of the pipelines (the outbox relay's publish of a row, the event sink's insert of a
 * record) that continues the trace whose W3C context came with the row or record: with a tracing bridge on the
 * registry, its span is a child of the span that wrote the row or sent the record, and the store calls made while it
 * is in scope (the Kafka send, the ClickHouse insert) are its children. Without one, nothing is observed.
 */
public final class TraceContinuation {
    private TraceContinuation() {
    }

    /**
     * Starts (not in scope yet) an observation named {@code name} continuing from {@code traceparent}
     * ({@code null}: a new trace).
     */
    public static Observation start(ObservationRegistry registry, String name, String contextualName,
            String traceparent, String tracestate, String destination) {
        Map<String, String> carrier = new HashMap<>(4);
        if (traceparent != null) {
            carrier.put(EventCodec.TRACEPARENT, traceparent);
            if (tracestate != null) {
                carrier.put(EventCodec.TRACESTATE, tracestate);
            }
        }
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>((c, key) -> c.get(key), Kind.CONSUMER);
        context.setCarrier(carrier);
        Observation o = Observation.createNotStarted(name, () -> context, registry).contextualName(contextualName);
        if (destination != null) {
            o.highCardinalityKeyValue("messaging.destination.name", destination);
        }
        return o.start();
    }
}
