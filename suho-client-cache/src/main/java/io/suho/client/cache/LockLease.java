package io.suho.client.cache;

import java.time.Duration;

/**
 * One acquisition of a {@link CacheLock}. Close it (try-with-resources) or call {@link #release()} when done; a lease
 * nobody releases ends when its time runs out. Thread-safe.
 */
public interface LockLease extends AutoCloseable {

    /** The lock's name. */
    String name();

    /** This acquisition's owner id (random, unique per acquisition); stored in the lock's value. */
    String owner();

    /**
     * The fencing token of this acquisition: larger than that of every earlier acquisition of the same lock name
     * (while the server keeps its data). Hand it to the protected resource so it can refuse a stale holder.
     */
    long fencingToken();

    /** True while the lock still holds this lease (one {@code GET}); false once it expired or was released. */
    boolean held();

    /**
     * Sets the remaining lease to {@code lease} if this acquisition still holds the lock; true when it did. Retried
     * after a connection failure (setting the same expiry twice is harmless).
     */
    boolean extend(Duration lease);

    /**
     * Deletes the lock if this acquisition still holds it (compare-and-delete, one script); true when it did, false
     * when the lease had already run out (another owner may hold the lock now, and is left alone). Not retried: a
     * {@link io.suho.client.core.StoreTimeoutException} means the release may or may not have happened; either way
     * the lock is free at the latest when the lease runs out.
     */
    boolean release();

    /** {@link #release()}, ignoring whether the lease was still held. */
    @Override
    void close();
}
