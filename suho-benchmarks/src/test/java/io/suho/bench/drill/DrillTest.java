package io.suho.bench.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.Store;
import io.suho.client.core.StoreTimeoutException;
import io.suho.client.core.StoreUnavailableException;
import io.suho.test.StoreKind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The drill's accounting, checked against a target whose storage the test controls: every figure must be able to come
 * out bad when the target misbehaves (a "not sent" write that landed, a retry that made a second copy), and must
 * equal what the target really did.
 */
class DrillTest {
    private static final Drill.Settings FAST = new Drill.Settings("stop", Duration.ofMillis(600),
            Duration.ofMillis(300), Duration.ofMillis(600), 2, 200);

    /** What the in-memory store does with writes while it is "down". */
    enum Behaviour {
        /** unavailable = not stored; every third write times out after landing, every third times out before. */
        HONEST,
        /** like HONEST, but every "unavailable" write is stored anyway (a mis-typed failure). */
        LIES_ABOUT_NOT_SENT
    }

    /** An in-memory target; copies are counted per id, so a second landing of the same id is a raw copy. */
    static final class MemoryTarget implements DrillTarget {
        final Map<String, AtomicLong> copies = new ConcurrentHashMap<>();
        final AtomicLong writesWhileDown = new AtomicLong();
        final AtomicLong landedThenTimedOut = new AtomicLong();
        final AtomicLong storedThoughNotSent = new AtomicLong();
        final Behaviour behaviour;
        final boolean lookup;
        volatile boolean down;

        MemoryTarget(Behaviour behaviour, boolean lookup) {
            this.behaviour = behaviour;
            this.lookup = lookup;
        }

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public StoreKind kind() {
            return StoreKind.POSTGRES;
        }

        @Override
        public void setUp() {
        }

        private void store(String id) {
            copies.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void write(String id) {
            if (!down) {
                store(id);
                return;
            }
            long n = writesWhileDown.incrementAndGet();
            if (n % 3 == 0) {
                store(id);
                landedThenTimedOut.incrementAndGet();
                throw new StoreTimeoutException(Store.POSTGRES, "insert", Duration.ofSeconds(1), false,
                        "timed out after it landed", null);
            }
            if (n % 3 == 1) {
                throw new StoreTimeoutException(Store.POSTGRES, "insert", Duration.ofSeconds(1), false,
                        "timed out before it landed", null);
            }
            if (behaviour == Behaviour.LIES_ABOUT_NOT_SENT) {
                store(id);
                storedThoughNotSent.incrementAndGet();
            }
            throw new StoreUnavailableException(Store.POSTGRES, "breaker open", true, null);
        }

        @Override
        public void read(String id) {
            if (down) {
                throw new StoreUnavailableException(Store.POSTGRES, "breaker open", true, null);
            }
        }

        @Override
        public Optional<Boolean> exists(String id) {
            if (!lookup) {
                return Optional.empty();
            }
            if (down) {
                throw new StoreUnavailableException(Store.POSTGRES, "breaker open", true, null);
            }
            return Optional.of(copies.containsKey(id));
        }

        @Override
        public Account account(Set<String> ids) {
            long raw = copies.values().stream().mapToLong(c -> c.get() - 1).sum();
            return new Account(Set.copyOf(copies.keySet()), raw, raw);
        }

        @Override
        public boolean nativeReady() {
            return !down;
        }

        @Override
        public void close() {
        }
    }

    private static Drill.Faults faultsOf(MemoryTarget t) {
        return new Drill.Faults() {
            @Override
            public void takeAway(StoreKind kind, String mode) {
                t.down = true;
            }

            @Override
            public void bringBack(StoreKind kind, String mode) {
                t.down = false;
            }
        };
    }

    private static Drill.Outcome run(MemoryTarget t) throws Exception {
        return new Drill(t, FAST, faultsOf(t)).run();
    }

    @Test
    void anHonestStoreIsAccountedExactly() throws Exception {
        MemoryTarget t = new MemoryTarget(Behaviour.HONEST, true);
        Drill.Outcome o = run(t);

        assertThat(t.writesWhileDown.get()).as("the outage saw writes").isGreaterThan(10);
        assertThat(o.ackedLost()).isZero();
        assertThat(o.ambiguous()).isGreaterThan(0);
        assertThat(o.ambiguousFirstLanded()).as("every write that landed before timing out is found by the lookup")
                .isEqualTo(t.landedThenTimedOut.get());
        assertThat(o.ambiguousStored()).isEqualTo(o.ambiguous());
        assertThat(o.rawCopies()).as("a write found by the lookup is not re-sent").isZero();
        assertThat(o.notSent()).isGreaterThan(0);
        assertThat(o.notSentButStored()).isZero();
        assertThat(o.acked() + o.ambiguousFirstLanded()).isEqualTo(t.copies.size());
        assertThat(o.firstFailMs()).isGreaterThanOrEqualTo(0);
        assertThat(o.serverReadyMs()).isGreaterThanOrEqualTo(0);
        assertThat(o.reads()).isGreaterThan(o.readFailures()).isGreaterThan(0);
        assertThat(o.readFailures()).as("reads during the outage fail and are counted").isGreaterThan(0);
        assertThat(o.fastFailP99Us()).isGreaterThan(0);
    }

    @Test
    void aNotSentWriteThatLandedIsReported() throws Exception {
        MemoryTarget t = new MemoryTarget(Behaviour.LIES_ABOUT_NOT_SENT, true);
        Drill.Outcome o = run(t);

        assertThat(t.storedThoughNotSent.get()).isGreaterThan(0);
        assertThat(o.notSentButStored()).isEqualTo(t.storedThoughNotSent.get());
        assertThat(o.line()).contains("not_sent_but_stored=" + t.storedThoughNotSent.get());
    }

    @Test
    void withoutALookupRetriesOfLandedWritesShowAsRawCopies() throws Exception {
        MemoryTarget t = new MemoryTarget(Behaviour.HONEST, false);
        Drill.Outcome o = run(t);

        assertThat(o.ambiguousFirstLanded()).as("unknown without a lookup").isEqualTo(-1);
        assertThat(t.landedThenTimedOut.get()).isGreaterThan(0);
        assertThat(o.rawCopies()).as("each write that landed and was re-sent left a second copy")
                .isEqualTo(t.landedThenTimedOut.get());
        assertThat(o.duplicatesAfterDedup()).isEqualTo(o.rawCopies());
        assertThat(o.ackedLost()).isZero();
    }

    @Test
    void theLineNamesEveryFigure() {
        Drill.Outcome o = new Drill.Outcome("postgres", "stop", 15, 1, 2, 3, 4, 5, -6, 7, 8, 9, 10, 11, 12, 13, 14,
                15, 16, 17, 18, 19);
        assertThat(o.line()).isEqualTo("DRILL store=postgres mode=stop down_s=15 first_fail_ms=1 fast_fail_p99_us=2 "
                + "breaker_fail_p99_us=3 held_threads_max_ms=4 server_ready_ms=5 first_ok_after_ready_ms=-6 acked=7 "
                + "acked_lost=8 ambiguous=9 ambiguous_first_landed=10 ambiguous_stored=11 raw_copies=12 "
                + "duplicates_after_dedup=13 not_sent=14 not_sent_but_stored=15 errors=16 errors_stored=17 reads=18 "
                + "read_failures=19");
    }
}
