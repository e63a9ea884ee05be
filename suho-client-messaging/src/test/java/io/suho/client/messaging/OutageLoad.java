package io.suho.client.messaging;

import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.events.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publish load for the outage tests: a few threads publish events with unique ids at a steady rate and keep account
 * of what the SDK said — acked, ambiguous (re-published later with the same event), or certainly not written.
 */
final class OutageLoad implements AutoCloseable {
    /** One publish through the SDK; returns only when acked. */
    @FunctionalInterface
    interface Publish {
        void publish(Event e) throws Exception;
    }

    private final Publish publish;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    final Map<UUID, Event> sent = new ConcurrentHashMap<>();
    final Set<UUID> acked = ConcurrentHashMap.newKeySet();
    final Set<UUID> everAmbiguous = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<Event> retry = new ConcurrentLinkedQueue<>();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong breakerRejections = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong ackedAfterFailure = new AtomicLong();
    private final AtomicLong failureMark = new AtomicLong(Long.MAX_VALUE);
    final Map<String, Long> errors = new ConcurrentHashMap<>();

    OutageLoad(int threadCount, long periodMillis, String type, Publish publish) {
        this.publish = publish;
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(() -> loop(type, periodMillis), "outage-load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(String type, long periodMillis) {
        while (running.get()) {
            Event e = retry.poll();
            if (e == null) {
                e = Event.builder(type).source("outage-it").key("k-" + (sent.size() % 5)).text("x", "text/plain")
                        .build();
                sent.put(e.id(), e);
            }
            attempt(e);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(periodMillis));
        }
    }

    /** One attempt; returns true when acked. */
    boolean attempt(Event e) {
        try {
            publish.publish(e);
            acked.add(e.id());
            if (System.nanoTime() > failureMark.get()) {
                ackedAfterFailure.incrementAndGet();
            }
            return true;
        } catch (StoreTimeoutException a) {
            // AmbiguousPublishException (with the event id) or any other "sent or maybe sent": only an ack settles it
            noteFailure(a);
            everAmbiguous.add(e.id());
            retry.add(e);
        } catch (StoreUnavailableException u) {
            noteFailure(u);
            if (u.breakerOpen()) {
                breakerRejections.incrementAndGet();
            }
            if (everAmbiguous.contains(e.id())) {
                retry.add(e); // its outcome is still unknown: only an ack settles it
            } else {
                rejected.incrementAndGet();
                sent.remove(e.id()); // certainly not written: forget it
            }
        } catch (Exception other) {
            noteFailure(other);
            everAmbiguous.add(e.id());
            retry.add(e);
        }
        return false;
    }

    private void noteFailure(Exception e) {
        failures.incrementAndGet();
        failureMark.accumulateAndGet(System.nanoTime(), Math::min);
        String m = String.valueOf(e.getMessage());
        errors.merge(e.getClass().getSimpleName() + ": " + (m.length() > 90 ? m.substring(0, 90) : m), 1L,
                Long::sum);
    }

    /** Stops the load threads. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Re-publishes once every event whose outcome is still unknown; true when none is left unknown. */
    boolean settleAmbiguous() {
        List<Event> pending = new ArrayList<>();
        Event e;
        while ((e = retry.poll()) != null) {
            pending.add(e);
        }
        for (Event p : pending) {
            if (!acked.contains(p.id())) {
                attempt(p); // a failure queues it again
            }
        }
        return retry.isEmpty();
    }

    /** Events the server must hold: acked ones. */
    Set<UUID> mustExist() {
        return Set.copyOf(acked);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
