package io.suho.bench.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The pipeline drill's accounting against an in-memory pipeline of three hops whose faults the test controls: each
 * figure must equal what the pipeline really did, and come out bad when a hop loses, re-delivers or fails to dedup.
 */
class PipelineDrillTest {
    private static final PipelineDrill.Settings FAST = new PipelineDrill.Settings(400, 4000, 2, Duration.ofSeconds(2),
            Duration.ofMillis(20), Set.of());

    /** What the in-memory pipeline gets wrong on purpose. */
    enum Misbehaviour {
        NONE,
        /** the middle hop drops every 50th event while its fault is injected — and forever after */
        LOSES,
        /** the middle hop re-delivers (a relay killed before marking sent), the last hop dedups */
        REPLAYS,
        /** the middle hop re-delivers and the last hop's "dedup" keeps a copy of every second re-delivered event */
        DEDUP_BROKEN,
        /** every 10th order fails before it is acknowledged */
        REFUSES
    }

    static final class MemoryHops implements PipelineDrill.Hops {
        final Misbehaviour mode;
        final List<UUID> first = new CopyOnWriteArrayList<>();
        final List<UUID> middle = new CopyOnWriteArrayList<>();
        final List<UUID> last = new CopyOnWriteArrayList<>();
        final Map<UUID, Long> fresh = new ConcurrentHashMap<>();
        final AtomicInteger placed = new AtomicInteger();
        final List<String> injected = new CopyOnWriteArrayList<>();
        final List<String> restored = new CopyOnWriteArrayList<>();
        volatile boolean faulty;

        MemoryHops(Misbehaviour mode) {
            this.mode = mode;
        }

        @Override
        public String label() {
            return "MEMORY";
        }

        @Override
        public void setUp() {
        }

        @Override
        public UUID place(long seq) {
            int n = placed.incrementAndGet();
            if (mode == Misbehaviour.REFUSES && n % 10 == 0) {
                throw new IllegalStateException("refused");
            }
            UUID id = UUID.randomUUID();
            first.add(id);
            boolean drop = mode == Misbehaviour.LOSES && faulty && n % 50 == 0;
            if (!drop) {
                middle.add(id);
                boolean replay = (mode == Misbehaviour.REPLAYS || mode == Misbehaviour.DEDUP_BROKEN) && n % 20 == 0;
                if (replay) {
                    middle.add(id);
                }
                last.add(id);
                if (replay) {
                    last.add(id);
                }
                fresh.put(id, System.currentTimeMillis());
            }
            return id;
        }

        @Override
        public List<PipelineDrill.Fault> faults() {
            return List.of(fault("a_kill"), fault("b_restart"));
        }

        private PipelineDrill.Fault fault(String name) {
            return OutboxPipelineHops.fault(name, () -> {
                injected.add(name);
                faulty = true;
            }, () -> restored.add(name));
        }

        @Override
        public Map<UUID, Long> arrivals() {
            Map<UUID, Long> out = new HashMap<>(fresh);
            out.keySet().forEach(fresh::remove);
            return out;
        }

        @Override
        public List<PipelineDrill.Hop> count() {
            return List.of(new PipelineDrill.Hop("first_rows", first.size(), new HashSet<>(first)),
                    new PipelineDrill.Hop("middle_distinct", middle.size(), new HashSet<>(middle)),
                    new PipelineDrill.Hop("last_distinct", last.size(), new HashSet<>(last)));
        }

        @Override
        public long afterDedupCopies() {
            if (mode != Misbehaviour.DEDUP_BROKEN) {
                return 0;
            }
            // the broken dedup keeps one copy of every second re-delivered event
            return (last.size() - new HashSet<>(last).size()) / 2;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aHealthyPipelineAccountsForEveryEventOnEveryHop() throws Exception {
        MemoryHops hops = new MemoryHops(Misbehaviour.NONE);
        PipelineDrill.Outcome o = new PipelineDrill(hops, FAST).run();
        assertThat(o.events()).isEqualTo(400);
        assertThat(o.missing()).isZero();
        assertThat(o.rawCopies()).isZero();
        assertThat(o.duplicatesAfterDedup()).isZero();
        assertThat(o.faults()).containsExactly("a_kill", "b_restart");
        assertThat(hops.injected).containsExactly("a_kill", "b_restart");
        assertThat(hops.restored).containsExactly("a_kill", "b_restart");
        assertThat(o.p50Ms()).isGreaterThanOrEqualTo(0);
        assertThat(o.line()).startsWith("MEMORY events=400 first_rows=400 middle_distinct=400 last_distinct=400 "
                + "missing=0 duplicates_after_dedup=0 raw_copies=0 end_to_end_p50_ms=")
                .endsWith(" faults=a_kill,b_restart");
    }

    @Test
    void anEventLostOnAHopIsMissingOnEveryLaterHop() throws Exception {
        MemoryHops hops = new MemoryHops(Misbehaviour.LOSES);
        PipelineDrill.Outcome o = new PipelineDrill(hops, FAST).run();
        long lost = hops.first.size() - hops.middle.size();
        assertThat(lost).isPositive();
        assertThat(o.events()).isEqualTo(400);
        assertThat(o.missing()).isEqualTo(lost);
        assertThat(o.hops().get(0).ids()).hasSize(400);
        assertThat(o.hops().get(2).ids()).hasSize((int) (400 - lost));
        assertThat(o.line()).contains(" missing=" + lost + " ");
    }

    @Test
    void replaysAreRawCopiesOnEachHopAndADedupThatFailsShowsAfterIt() throws Exception {
        PipelineDrill.Outcome replays = new PipelineDrill(new MemoryHops(Misbehaviour.REPLAYS), FAST).run();
        // every 20th of 400 events re-delivered on the middle hop and written twice to the last
        assertThat(replays.rawCopies()).isEqualTo(20 + 20);
        assertThat(replays.missing()).isZero();
        assertThat(replays.duplicatesAfterDedup()).isZero();

        MemoryHops broken = new MemoryHops(Misbehaviour.DEDUP_BROKEN);
        PipelineDrill.Outcome o = new PipelineDrill(broken, FAST).run();
        assertThat(o.rawCopies()).isEqualTo(40);
        assertThat(o.duplicatesAfterDedup()).isEqualTo(10);
        assertThat(o.line()).contains(" duplicates_after_dedup=" + o.duplicatesAfterDedup() + " ");
    }

    @Test
    void onlyAcknowledgedOrdersAreEvents() throws Exception {
        MemoryHops hops = new MemoryHops(Misbehaviour.REFUSES);
        PipelineDrill.Outcome o = new PipelineDrill(hops, FAST).run();
        assertThat(o.events()).isEqualTo(400 - 40);
        assertThat(o.missing()).isZero();
    }
}
