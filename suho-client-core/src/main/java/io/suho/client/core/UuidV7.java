package io.suho.client.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SDK's one generator of time-ordered ids: RFC 9562 version-7 UUIDs, 48-bit Unix milliseconds, then a 12-bit
 * sequence that keeps ids from one process strictly increasing within a millisecond, then 62 random bits. Event ids
 * ({@code io.suho.events.Event}) and outbox rows ({@code PostgresClient.outbox()}) both come from here, so sorting by
 * id — as a string, or by a PostgreSQL {@code uuid} column (unsigned byte order) — sorts by creation time.
 * Thread-safe, lock-free.
 */
public final class UuidV7 {
    /** (millis << 12) | sequence of the last id handed out. */
    private static final AtomicLong LAST = new AtomicLong();

    private UuidV7() {
    }

    /** A new id, greater than every id this process handed out before. */
    public static UUID next() {
        long now = System.currentTimeMillis() << 12;
        long stamp;
        while (true) {
            long last = LAST.get();
            // When more than 4096 ids are asked for in one millisecond the stamp runs a little ahead of the clock,
            // which keeps the order strict rather than repeating a value.
            stamp = Math.max(now, last + 1);
            if (LAST.compareAndSet(last, stamp)) {
                break;
            }
        }
        long millis = stamp >>> 12;
        long seq = stamp & 0xFFF;
        long msb = (millis << 16) | 0x7000L | seq;
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /**
     * The Unix milliseconds a version-7 UUID carries.
     *
     * @throws IllegalArgumentException when {@code id} is not a version-7 UUID
     */
    public static long millis(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("not a version-7 UUID: " + id);
        }
        return id.getMostSignificantBits() >>> 16;
    }
}
