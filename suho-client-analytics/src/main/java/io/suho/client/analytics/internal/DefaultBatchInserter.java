package io.suho.client.analytics.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.suho.client.analytics.AnalyticsQueryException;
import io.suho.client.analytics.BatchInserter;
import io.suho.client.analytics.BatchOptions;
import io.suho.client.analytics.InsertOptions;
import io.suho.client.analytics.RowEncoder;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.core.SuhoException;
import io.suho.client.core.spi.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BatchInserter} with a bounded FIFO of encoded rows and one sender thread. Rows count against the bound from
 * {@code add} until their batch is written or dropped, so the in-flight batch holds its room too.
 *
 * <p>A batch keeps one dedup token across its retries. It is retried after a failure that was not sent
 * ({@link StoreUnavailableException}) and after one whose outcome is unknown ({@link StoreTimeoutException} without
 * {@code serverReported()}): the rows may have landed, and a server with {@code insert_deduplication_token} writes the
 * retry once; an older server writes it twice, which a {@code ReplacingMergeTree} read with {@code FINAL} collapses
 * (see {@link io.suho.client.analytics.InsertOptions}). A server that cancelled the insert at its own limit answered
 * about this batch: like a rejection, the batch is dropped and reported.
 */
final class DefaultBatchInserter<T> implements BatchInserter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultBatchInserter.class);
    private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(2));

    private final ClickHouseAnalyticsClient client;
    private final String table;
    private final RowEncoder<T> encoder;
    private final BatchOptions options;
    private final ResilienceConfig resilience;
    private final ThreadLocal<JsonRowWriter> writers;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private int buffered;
    private long added;
    private long done;
    private long flushTarget;
    private long oldestNanos;
    private boolean closed;
    private RuntimeException lastError;
    /** Why the batch in flight is being retried, or {@code null}: named when a flush times out. */
    private volatile RuntimeException retrying;
    private volatile long written;

    private final Counter rowsOk;
    private final Counter rowsFailed;
    private final Counter batchesOk;
    private final Counter batchesFailed;
    private final Counter blocked;
    private final Timer latency;
    private final Thread sender;
    private final Runnable onClose;

    DefaultBatchInserter(ClickHouseAnalyticsClient client, String table, RowEncoder<T> encoder, BatchOptions options,
            MeterRegistry registry, String service, ResilienceConfig resilience, Runnable onClose) {
        this.onClose = onClose;
        this.client = client;
        this.table = table;
        this.encoder = encoder;
        this.options = options;
        this.resilience = resilience;
        this.writers = ThreadLocal.withInitial(() -> new JsonRowWriter(client.zone()));
        rowsOk = Counter.builder("suho.analytics.insert.rows").description("Rows written by batch inserters")
                .tag("service", service).tag("table", table).tag("outcome", "success").register(registry);
        rowsFailed = Counter.builder("suho.analytics.insert.rows").description("Rows written by batch inserters")
                .tag("service", service).tag("table", table).tag("outcome", "failed").register(registry);
        batchesOk = Counter.builder("suho.analytics.insert.batches").description("Insert requests of batch inserters")
                .tag("service", service).tag("table", table).tag("outcome", "success").register(registry);
        batchesFailed = Counter.builder("suho.analytics.insert.batches")
                .description("Insert requests of batch inserters")
                .tag("service", service).tag("table", table).tag("outcome", "failed").register(registry);
        blocked = Counter.builder("suho.analytics.insert.blocked").description("Adds that waited for buffer room")
                .tag("service", service).tag("table", table).register(registry);
        latency = Timer.builder("suho.analytics.insert.latency").description("Time to write one batch")
                .tag("service", service).tag("table", table).register(registry);
        sender = new Thread(this::run, "suho-analytics-batch-" + table);
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void add(T row) {
        byte[] encoded = encode(row);
        long deadline = System.nanoTime() + options.maxBlock().toNanos();
        lock.lock();
        try {
            checkOpen();
            if (buffered >= options.bufferRows()) {
                blocked.increment();
                while (buffered >= options.bufferRows()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new StoreUnavailableException(Store.ANALYTICS, "batch buffer for table " + table
                                + " is full (" + buffered + " rows) and no batch was written within "
                                + options.maxBlock().toMillis() + " ms", false, lastError);
                    }
                    notFull.awaitNanos(left);
                    checkOpen();
                }
            }
            enqueue(encoded);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SuhoException("interrupted while waiting for room in the batch buffer of " + table, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean offer(T row) {
        byte[] encoded = encode(row);
        lock.lock();
        try {
            checkOpen();
            if (buffered >= options.bufferRows()) {
                return false;
            }
            enqueue(encoded);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private byte[] encode(T row) {
        JsonRowWriter w = writers.get();
        w.reset();
        try {
            w.append(row, encoder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("batch insert into " + table + ": " + e.getMessage(), e);
        }
        return w.lastRow();
    }

    private void enqueue(byte[] encoded) {
        if (pending.isEmpty()) {
            oldestNanos = System.nanoTime();
        }
        pending.addLast(encoded);
        buffered++;
        added++;
        if (pending.size() >= options.maxRows()) {
            work.signal();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("batch inserter for " + table + " is closed");
        }
    }

    @Override
    public void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long target = added;
            flushTarget = Math.max(flushTarget, target);
            work.signal();
            while (done < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // the rows stay buffered and may still be written (or be in flight now): outcome unknown
                    RuntimeException why = lastError != null ? lastError : retrying;
                    throw new StoreTimeoutException(Store.ANALYTICS, "flush", timeout, false, Store.ANALYTICS.id()
                            + " flush of " + table + " did not finish within " + ResilienceConfig.format(timeout)
                            + " (outcome unknown): " + (target - done) + " rows still buffered"
                            + (why == null ? "" : "; last failure: " + why.getMessage()), why);
                }
                progress.awaitNanos(left);
            }
            RuntimeException e = lastError;
            lastError = null;
            if (e != null) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SuhoException("interrupted while flushing " + table, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int buffered() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long rowsWritten() {
        return written;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            work.signal();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        Duration wait = resilience.timeout().multipliedBy(2).plus(options.maxBlock());
        try {
            flush(wait);
        } finally {
            onClose.run();
            sender.interrupt();
            try {
                sender.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- sender thread ----

    private void run() {
        List<byte[]> batch = new ArrayList<>(Math.min(options.maxRows(), 65_536));
        while (true) {
            lock.lock();
            try {
                while (!ready()) {
                    if (closed && pending.isEmpty()) {
                        return;
                    }
                    long wait = pending.isEmpty() ? TimeUnit.SECONDS.toNanos(1)
                            : oldestNanos + options.maxDelay().toNanos() - System.nanoTime();
                    work.awaitNanos(Math.max(wait, 100_000));
                }
                batch.clear();
                while (batch.size() < options.maxRows() && !pending.isEmpty()) {
                    batch.add(pending.pollFirst());
                }
                oldestNanos = System.nanoTime();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            boolean ok = send(batch);
            lock.lock();
            try {
                buffered -= batch.size();
                done += batch.size();
                notFull.signalAll();
                progress.signalAll();
            } finally {
                lock.unlock();
            }
            if (!ok && Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    private boolean ready() {
        if (pending.isEmpty()) {
            return false;
        }
        return pending.size() >= options.maxRows() || closed || flushTarget > done
                || System.nanoTime() - oldestNanos >= options.maxDelay().toNanos();
    }

    /** Sends one batch, retrying while the store is unavailable or does not answer (see class doc); true if written. */
    private boolean send(List<byte[]> batch) {
        int size = 0;
        for (byte[] r : batch) {
            size += r.length;
        }
        byte[] data = new byte[size];
        int off = 0;
        for (byte[] r : batch) {
            System.arraycopy(r, 0, data, off, r.length);
            off += r.length;
        }
        InsertOptions insert = InsertOptions.defaults().withDedupToken(UUID.randomUUID().toString());
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            try {
                client.insertEncoded(table, data, size, insert);
                retrying = null;
                latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                rowsOk.increment(batch.size());
                batchesOk.increment();
                written += batch.size();
                return true;
            } catch (StoreUnavailableException | StoreTimeoutException e) {
                boolean answered = e instanceof StoreTimeoutException t && t.serverReported();
                if (answered || !options.retryWhileUnavailable() || Thread.currentThread().isInterrupted()) {
                    return dropped(batch, e);
                }
                retrying = e;
                long delay = BACKOFF.delayNanos(attempt);
                LOG.warn("batch of {} rows for {} {} ({}); retrying in {} ms with the same dedup token", batch.size(),
                        table, e instanceof StoreTimeoutException ? "may or may not be written" : "not written",
                        e.getMessage(), TimeUnit.NANOSECONDS.toMillis(delay));
                try {
                    TimeUnit.NANOSECONDS.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return dropped(batch, e);
                }
            } catch (AnalyticsQueryException e) {
                return dropped(batch, e);
            } catch (RuntimeException e) {
                return dropped(batch, new AnalyticsQueryException("insert", 0, String.valueOf(e.getMessage()), e));
            }
        }
    }

    private boolean dropped(List<byte[]> batch, RuntimeException e) {
        retrying = null;
        rowsFailed.increment(batch.size());
        batchesFailed.increment();
        LOG.error("batch of {} rows for {} dropped: {}", batch.size(), table, e.getMessage());
        lock.lock();
        try {
            lastError = e;
        } finally {
            lock.unlock();
        }
        return false;
    }
}
