package io.suho.client.messaging.internal;

import io.suho.client.messaging.BatchHandler;
import io.suho.client.messaging.EventHandler;
import io.suho.events.Event;
import java.util.List;
import java.util.Objects;

/**
 * What a consumer loop hands the application, for one kind of delivery {@code R} (a Kafka {@code ConsumerRecord} or a
 * JetStream {@code Message}): decoded events or the raw deliveries, one at a time or in batches. The loop decodes an
 * event only when {@link #needsEvent()}; {@link #one} is the single-delivery call (a batch handler gets a list of
 * one), {@link #batch} the whole-batch call of batch handlers.
 */
final class Delivery<R> {

    @FunctionalInterface
    interface One<R> {
        void handle(R delivery, Event event) throws Exception;
    }

    @FunctionalInterface
    interface Many<R> {
        void handle(List<R> deliveries, List<Event> events) throws Exception;
    }

    private final boolean needsEvent;
    private final One<R> one;
    private final Many<R> many;

    private Delivery(boolean needsEvent, One<R> one, Many<R> many) {
        this.needsEvent = needsEvent;
        this.one = one;
        this.many = many;
    }

    /** Suho events, one at a time (the default consumer). */
    static <R> Delivery<R> events(EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new Delivery<>(true, (r, e) -> handler.handle(e), null);
    }

    /** Raw deliveries, one at a time. */
    static <R> Delivery<R> raw(One<R> handler) {
        Objects.requireNonNull(handler, "handler");
        return new Delivery<>(false, handler, null);
    }

    /** Suho events in batches. */
    static <R> Delivery<R> eventBatches(BatchHandler<Event> handler) {
        Objects.requireNonNull(handler, "handler");
        return new Delivery<>(true, (r, e) -> handler.handle(List.of(e)), (rs, es) -> handler.handle(es));
    }

    /** Raw deliveries in batches. */
    static <R> Delivery<R> rawBatches(BatchHandler<R> handler) {
        Objects.requireNonNull(handler, "handler");
        return new Delivery<>(false, (r, e) -> handler.handle(List.of(r)), (rs, es) -> handler.handle(rs));
    }

    /** Whether deliveries are decoded as Suho events (an undecodable one goes to the dead letters). */
    boolean needsEvent() {
        return needsEvent;
    }

    /** Whether the handler takes batches. */
    boolean batches() {
        return many != null;
    }

    void one(R delivery, Event event) throws Exception {
        one.handle(delivery, event);
    }

    void batch(List<R> deliveries, List<Event> events) throws Exception {
        many.handle(deliveries, events);
    }
}
