package io.suho.client.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * A named mutual-exclusion lease shared by every instance of every service using the namespace: at most one holder
 * at a time, for at most {@link #lease()} unless extended. Get it with {@link CacheClient#lock(String, Duration)}.
 *
 * <pre>{@code
 * CacheLock lock = cache.lock("settlement", Duration.ofSeconds(30));
 * Optional<LockLease> lease = lock.tryAcquire(Duration.ofSeconds(2));
 * if (lease.isPresent()) {
 *     try (LockLease held = lease.get()) {
 *         settle(held.fencingToken());
 *     }
 * }
 * }</pre>
 *
 * <p>Each acquisition writes {@code <namespace>:lock:<name>} = {@code "<owner> <token>"} with the lease as expiry
 * and takes its fencing token from the counter {@code <namespace>:lock-fence:<name>} in the same Lua script; release
 * and extend compare the stored owner first (compare-and-delete), so a holder whose lease ran out can never delete
 * the next holder's lock. The fencing token grows with every acquisition of the name: pass it to the resource the
 * lock protects and have it refuse a smaller token than one it has seen, the only protection against a holder that
 * paused past its lease.
 *
 * <p>This is a lock on one Redis-protocol server (no Redlock): a failover to a replica that had not received the lock
 * can grant it twice, and a server that loses its data restarts the tokens. Use it for efficiency (one instance does
 * the job), with fencing where correctness depends on it. Acquisition is retried after a connection failure — the
 * script recognises a retry by its owner and answers with the same token —; release is not (see
 * {@link LockLease#release()}). Thread-safe; holds no connection.
 */
public interface CacheLock {

    /** The lock's name (without the namespace). */
    String name();

    /** How long an acquisition holds the lock unless extended or released. */
    Duration lease();

    /** One attempt: the lease when the lock was free, empty when another owner holds it. */
    Optional<LockLease> tryAcquire();

    /**
     * Attempts until the lock is acquired or {@code wait} has passed, sleeping between attempts (from 5 ms, doubling
     * to 200 ms with jitter, never past the holder's remaining lease or the deadline).
     *
     * @return the lease, or empty when {@code wait} passed with the lock held by another owner
     * @throws InterruptedException the thread was interrupted while waiting (nothing is held)
     */
    Optional<LockLease> tryAcquire(Duration wait) throws InterruptedException;
}
