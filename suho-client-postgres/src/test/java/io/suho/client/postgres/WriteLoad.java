package io.suho.client.postgres;

import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Idempotent writes from several threads through one client, each keyed by a unique id
 * ({@code INSERT … ON CONFLICT DO NOTHING}), with every outcome a caller can see recorded: acknowledged, refused by
 * the open breaker, certainly not sent ({@code StoreUnavailableException}: no connection obtained), or unknown
 * ({@code StoreTimeoutException}: sent, then the connection failed or timed out) — the last kind is retried with the
 * same id, as an application should.
 */
final class WriteLoad implements AutoCloseable {
    static final String TABLE = "it_pg_fault_writes";
    static final String OPERATION = "it_fault_insert";

    private final PostgresClient pg;
    private final String run = "r" + UUID.randomUUID();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final Set<String> ambiguous = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> retries = new ConcurrentLinkedQueue<>();
    final LongAdder breakerRejections = new LongAdder();
    final LongAdder unavailable = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final Set<String> unexpected = ConcurrentHashMap.newKeySet();
    final Set<String> unknownOutcomeMessages = ConcurrentHashMap.newKeySet();
    /** Per thread: failures seen since {@link #markFaultStart()}; a thread stuck in a call never adds any. */
    private final AtomicLong[] failuresSinceFault;
    private volatile boolean faultStarted;

    WriteLoad(PostgresClient pg, int threadCount) {
        this.pg = pg;
        pg.update("CREATE TABLE IF NOT EXISTS " + TABLE + " (run text NOT NULL, id text NOT NULL,"
                + " written_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run, id))");
        failuresSinceFault = new AtomicLong[threadCount];
        for (int i = 0; i < threadCount; i++) {
            failuresSinceFault[i] = new AtomicLong();
            int n = i;
            Thread t = new Thread(() -> loop(n), "it-writer-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    WriteLoad start() {
        threads.forEach(Thread::start);
        return this;
    }

    void markFaultStart() {
        for (AtomicLong a : failuresSinceFault) {
            a.set(0);
        }
        faultStarted = true;
    }

    /** How many writer threads came back with a failure since the fault began (all of them: none is held). */
    int threadsThatFailedSinceFault() {
        int n = 0;
        for (AtomicLong a : failuresSinceFault) {
            n += a.get() > 0 ? 1 : 0;
        }
        return n;
    }

    private void loop(int thread) {
        long seq = 0;
        while (running.get()) {
            String retry = retries.poll();
            String id = retry != null ? retry : thread + "-" + seq++;
            if (!write(id) && faultStarted) {
                failuresSinceFault[thread].incrementAndGet();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pacing, ~200 writes/s per thread at most
        }
    }

    /** One write; true when acknowledged. */
    boolean write(String id) {
        try {
            pg.named(OPERATION).update("INSERT INTO " + TABLE + " (run, id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    run, id);
            acked.add(id);
            return true;
        } catch (StoreUnavailableException e) {
            unavailable.increment(); // not sent
            if (e.breakerOpen()) {
                breakerRejections.increment();
            }
            requeueIfAmbiguous(id);
            return false;
        } catch (StoreTimeoutException e) {
            timeouts.increment();
            ambiguous.add(id);
            unknownOutcomeMessages.add(e.getMessage());
            requeueIfAmbiguous(id);
            return false;
        } catch (RuntimeException e) {
            unexpected.add(e.getClass().getName() + ": " + e.getMessage());
            return false;
        }
    }

    /** An id whose outcome was ever unknown is retried until acknowledged. */
    private void requeueIfAmbiguous(String id) {
        if (!acked.contains(id) && ambiguous.contains(id)) {
            retries.add(id);
        }
    }

    /** Stops the writers; true when every thread returned (none is stuck in a call). */
    boolean stop(long timeoutMillis) throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Retries every still-unacknowledged ambiguous id once; true when none is left. */
    boolean retryAmbiguous() {
        String id;
        int n = retries.size();
        for (int i = 0; i < n && (id = retries.poll()) != null; i++) {
            if (!acked.contains(id)) {
                write(id); // re-queues itself when it fails again
            }
        }
        return ambiguous.stream().allMatch(acked::contains);
    }

    /** Row count per id of this run, as stored. */
    java.util.Map<String, Integer> stored() {
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        for (String id : pg.query("SELECT id FROM " + TABLE + " WHERE run = ?", rs -> rs.getString(1), run)) {
            out.merge(id, 1, Integer::sum);
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop(10_000);
    }
}
