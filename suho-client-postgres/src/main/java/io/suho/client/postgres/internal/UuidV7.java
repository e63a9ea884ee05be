package io.suho.client.postgres.internal;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered UUIDs (RFC 9562 version 7): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids from one
 * process strictly increasing within a millisecond, then 62 random bits. Sorting by the {@code uuid} column in
 * PostgreSQL (unsigned byte order) sorts by creation time. Thread-safe.
 */
public final class UuidV7 {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static int counter;

    private UuidV7() {
    }

    /** A new id. */
    public static UUID next() {
        long ms;
        int seq;
        synchronized (UuidV7.class) {
            ms = System.currentTimeMillis();
            if (ms <= lastMillis) {
                ms = lastMillis;
                counter++;
                if (counter > 0xFFF) { // counter exhausted: borrow the next millisecond
                    ms = ++lastMillis;
                    counter = 0;
                }
            } else {
                lastMillis = ms;
                counter = 0;
            }
            seq = counter;
        }
        long msb = (ms << 16) | 0x7000L | seq;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
