package io.suho.pipelines;

import brave.Tracing;
import brave.context.slf4j.MDCScopeDecorator;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * A real tracer for tests, wired the way docs/observability.md tells an application to: Brave through Micrometer
 * Tracing, W3C propagation, traceId/spanId in the MDC, every finished span kept in memory and — when a Zipkin URL is
 * given — reported to that Zipkin.
 */
final class TestTracing implements AutoCloseable {
    final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
    final ObservationRegistry registry = ObservationRegistry.create();
    final BraveTracer tracer;
    private final Tracing tracing;
    private final AsyncZipkinSpanHandler zipkin;
    private final BytesMessageSender sender;

    TestTracing(String serviceName, String zipkinUrl) {
        Tracing.Builder b = Tracing.newBuilder().localServiceName(serviceName).traceId128Bit(true)
                .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder()
                        .addScopeDecorator(MDCScopeDecorator.get()).build())
                .propagationFactory(new W3CPropagation())
                .addSpanHandler(new SpanHandler() {
                    @Override
                    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                        spans.add(span);
                        return true;
                    }
                });
        if (zipkinUrl != null) {
            sender = URLConnectionSender.create(zipkinUrl + "/api/v2/spans");
            zipkin = AsyncZipkinSpanHandler.create(sender);
            b.addSpanHandler(zipkin);
        } else {
            sender = null;
            zipkin = null;
        }
        tracing = b.build();
        tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
                new BraveBaggageManager());
        BravePropagator propagator = new BravePropagator(tracing);
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    /** Finished spans whose name contains {@code part}. */
    List<MutableSpan> named(String part) {
        return spans.stream().filter(s -> s.name() != null && s.name().contains(part)).collect(Collectors.toList());
    }

    /** Finished spans of one trace. */
    List<MutableSpan> trace(String traceId) {
        return spans.stream().filter(s -> traceId.equals(s.traceId())).collect(Collectors.toList());
    }

    /** Sends what the Zipkin reporter holds now. */
    void flush() {
        if (zipkin != null) {
            zipkin.flush();
        }
    }

    @Override
    public void close() {
        flush();
        tracing.close();
        if (zipkin != null) {
            zipkin.close();
            try {
                sender.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
