package io.suho.client.core.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the observation of one store call says about it beyond its store and operation: the message destination
 * ({@code messaging.destination.name}), the statement text ({@code db.query.text}, recorded only when
 * {@code suho.observation.statements=true}) and, for a call that sends a message, the trace headers to send with it.
 *
 * <p>For a sending call ({@link #sending}), the SDK fills {@link #traceHeaders()} when the call's observation starts,
 * before the call runs: with a tracing bridge on the {@code ObservationRegistry}, the W3C {@code traceparent} (and
 * {@code tracestate} when there is one) of the producer span; without tracing, nothing. The module copies them onto
 * the message inside the call. For a received message ({@link StoreExecutor#process}), {@link #traceHeaders()} holds
 * the headers it arrived with, from which the consumer observation continues the producer's trace.
 *
 * <p>One instance per call; not thread-safe.
 */
public final class CallDetail {
    private final String destination;
    private final String statement;
    private final boolean sending;
    private final Map<String, String> traceHeaders;

    private CallDetail(String destination, String statement, boolean sending, Map<String, String> traceHeaders) {
        this.destination = destination;
        this.statement = statement;
        this.sending = sending;
        this.traceHeaders = traceHeaders;
    }

    /** A call that sends a message to {@code destination} (topic, subject, outbox topic). */
    public static CallDetail sending(String destination) {
        return new CallDetail(destination, null, true, new LinkedHashMap<>());
    }

    /** A message received from {@code destination} with these headers (the trace continues from them). */
    public static CallDetail received(String destination, Map<String, String> headers) {
        return new CallDetail(destination, null, false, headers == null ? Map.of() : headers);
    }

    /** A statement ({@code SQL}, a query) sent to the store; its text is recorded only when opted in. */
    public static CallDetail statement(String text) {
        return new CallDetail(null, text, false, Map.of());
    }

    /** The topic, subject or queue, or {@code null}. */
    public String destination() {
        return destination;
    }

    /** The statement text, or {@code null}. */
    public String statement() {
        return statement;
    }

    /** True for a call that sends a message: its observation is a producer and writes {@link #traceHeaders()}. */
    public boolean isSending() {
        return sending;
    }

    /**
     * For a sending call, the trace headers to put on the message (written when the call's observation starts;
     * empty without tracing). For a received message, the headers it came with.
     */
    public Map<String, String> traceHeaders() {
        return traceHeaders;
    }
}
