package io.suho.client.core.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Chooses which of a few interchangeable servers (a store's read replicas) takes the next call.
 *
 * <p>{@link Policy#LATENCY} (the default) is "power of two choices over peak EWMA", the load balancer of Finagle and
 * linkerd: pick two usable servers at random and take the one with the lower cost, where a server's cost is
 * <pre>{@code   latency estimate × (calls in flight + 1) / weight}</pre>
 * The latency estimate is an exponentially weighted moving average of its recent call latencies that jumps up at
 * once to a slower sample (peak-sensitive) and decays with <em>time</em> ({@code decay} is its time constant): an
 * idle server's estimate falls towards zero, so a server that was slow a while ago is tried again and its estimate
 * refreshed, instead of being judged forever by a stale average. A server that has calls outstanding and has finished
 * none for longer than its estimate is judged by that wait instead, so a server that stops answering loses its reads
 * without waiting for a timeout to be recorded. A server never measured but with calls in flight costs a large
 * penalty, so a fresh server gets one call, not a burst. {@link Policy#ROUND_ROBIN} takes the usable servers in turn.
 *
 * <p>A server is usable while it is {@linkplain #setUsable marked usable} (its owner marks it failing after
 * connection failures and usable again when it answers) and its {@linkplain #setWeight weight} is above zero: weight
 * 0 drains a server (it gets no new calls), a higher weight makes it look less loaded. {@link #choose()} returns
 * {@code -1} when no server is usable; the caller then falls back (for PostgreSQL reads: the primary).
 *
 * <p>Every {@link #choose()} that returns a server must be followed by exactly one {@link #finished} for it, with
 * the call's latency, whether the call succeeded or failed (or one {@link #release} when the latency is not the
 * server's). Thread-safe and lock-free; {@code choose} and
 * {@code finished} allocate nothing. Concurrent updates of one server's estimate may lose a sample (the fields are
 * written without a compare-and-set); an estimate needs no more precision than that.
 */
public final class ServerBalancer {

    /** How {@link #choose()} picks among usable servers. */
    public enum Policy {
        /** Power of two choices over the peak-sensitive, time-decayed latency estimate (see the class comment). */
        LATENCY,
        /** Each usable server in turn; latency and weights above zero are ignored. */
        ROUND_ROBIN
    }

    /** Cost of a server never measured that already has a call in flight: about 16 minutes in nanoseconds. */
    private static final double PENALTY = 1e12;

    private final Server[] servers;
    private final Policy policy;
    private final double decayNanos;
    private final LongSupplier clock;
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * @param count how many servers, numbered {@code 0 .. count-1}
     * @param policy how to choose
     * @param decay time constant of the latency estimate: a sample's influence falls to 1/e after this long
     *     (Finagle's default is 10 s)
     */
    public ServerBalancer(int count, Policy policy, Duration decay) {
        this(count, policy, decay, System::nanoTime);
    }

    ServerBalancer(int count, Policy policy, Duration decay, LongSupplier clock) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        Objects.requireNonNull(policy, "policy");
        if (decay.isNegative() || decay.isZero()) {
            throw new IllegalArgumentException("decay must be positive, got " + decay);
        }
        this.servers = new Server[count];
        for (int i = 0; i < count; i++) {
            servers[i] = new Server();
        }
        this.policy = policy;
        this.decayNanos = decay.toNanos();
        this.clock = clock;
    }

    /** How many servers this balancer chooses among. */
    public int size() {
        return servers.length;
    }

    public Policy policy() {
        return policy;
    }

    /**
     * The server for the next call, counted as in flight until {@link #finished}, or {@code -1} when none is usable
     * (all marked failing or weighing 0, or there are none).
     */
    public int choose() {
        return choose(clock.getAsLong());
    }

    /**
     * {@link #choose()} at {@code nowNanos}, a {@link System#nanoTime()} the caller has just read anyway (to time
     * the call), so routing adds no clock read of its own.
     */
    public int choose(long nowNanos) {
        Server[] s = servers;
        int n = s.length;
        int eligible = 0;
        int only = -1;
        for (int i = 0; i < n; i++) {
            if (s[i].eligible()) {
                eligible++;
                only = i;
            }
        }
        long now = nowNanos;
        if (eligible <= 1) {
            return eligible == 0 ? -1 : begin(only, now);
        }
        if (policy == Policy.ROUND_ROBIN) { // the k-th usable server, so each gets an equal share
            int k = nthEligible(Math.floorMod(turn.getAndIncrement(), eligible));
            return k >= 0 ? begin(k, now) : begin(only, now);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(eligible);
        int b = random.nextInt(eligible - 1);
        if (b >= a) {
            b++;
        }
        int ia = nthEligible(a);
        int ib = nthEligible(b);
        if (ia < 0 || ib < 0) { // a server changed state while we looked: take whichever is still found
            int one = ia >= 0 ? ia : ib;
            return one >= 0 ? begin(one, now) : -1;
        }
        return begin(cost(ia, now) <= cost(ib, now) ? ia : ib, now);
    }

    private int nthEligible(int nth) {
        Server[] s = servers;
        int seen = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i].eligible() && seen++ == nth) {
                return i;
            }
        }
        return -1;
    }

    private int begin(int i, long now) {
        Server s = servers[i];
        s.chosen.increment();
        if (s.inFlight.getAndIncrement() == 0) {
            PROGRESS.setOpaque(s, now); // busy from now: an outstanding call is measured from here
        }
        return i;
    }

    /** Cost of server {@code i} at {@code now}: latency estimate × (in flight + 1) / weight. */
    private double cost(int i, long now) {
        Server s = servers[i];
        int inFlight = s.inFlight.get();
        double estimate = decayed(s, now);
        if (inFlight > 0) {
            if ((double) EWMA.getOpaque(s) == 0) {
                return PENALTY; // never measured: its first answer comes before a second call
            }
            estimate = Math.max(estimate, now - (long) PROGRESS.getOpaque(s));
        }
        return estimate * (inFlight + 1) / s.weight;
    }

    private double decayed(Server s, long now) {
        double ewma = (double) EWMA.getOpaque(s);
        if (ewma == 0) {
            return 0;
        }
        long idle = now - (long) STAMP.getOpaque(s);
        return idle <= 0 ? ewma : ewma * decay(idle / decayNanos);
    }

    /** e<sup>-x</sup> for x ≥ 0; for the small x of a busy server a short series (error below 2e-7) instead of exp. */
    private static double decay(double x) {
        return x < 0.01 ? 1 - x + 0.5 * x * x : Math.exp(-x);
    }

    /**
     * Ends one call on server {@code server} that {@link #choose()} returned, recording its latency (failed calls
     * included: a timeout is a slow answer).
     */
    public void finished(int server, long latencyNanos) {
        finished(server, latencyNanos, clock.getAsLong());
    }

    /** {@link #finished(int, long)} at {@code nowNanos}, the {@link System#nanoTime()} that ended the call. */
    public void finished(int server, long latencyNanos, long nowNanos) {
        Server s = servers[server];
        double rtt = Math.max(0, latencyNanos);
        double prev = (double) EWMA.getOpaque(s);
        double next;
        if (rtt > prev) {
            next = rtt; // peak-sensitive: a slower answer counts at once
        } else {
            long since = nowNanos - (long) STAMP.getOpaque(s);
            double w = since <= 0 ? 1 : decay(since / decayNanos);
            next = prev * w + rtt * (1 - w);
        }
        // opaque writes: atomic, no fence; another thread sees them a moment later at worst
        EWMA.setOpaque(s, next);
        STAMP.setOpaque(s, nowNanos);
        PROGRESS.setOpaque(s, nowNanos);
        s.inFlight.decrementAndGet();
    }

    /**
     * Ends one call on server {@code server} without recording its latency: for a call whose length is the caller's
     * doing, not the server's (a long result stream the caller consumes row by row).
     */
    public void release(int server) {
        Server s = servers[server];
        PROGRESS.setOpaque(s, clock.getAsLong());
        s.inFlight.decrementAndGet();
    }

    /** Weight of server {@code i} (default 1; 0 drains it). */
    public void setWeight(int i, double weight) {
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException("weight must be a finite number >= 0, got " + weight);
        }
        servers[i].weight = weight;
    }

    /** Marks server {@code i} usable or failing; a failing server gets no calls until marked usable again. */
    public void setUsable(int i, boolean usable) {
        servers[i].usable = usable;
    }

    public double weight(int i) {
        return servers[i].weight;
    }

    public boolean usable(int i) {
        return servers[i].usable;
    }

    /** Calls on server {@code i} chosen and not yet {@linkplain #finished finished}. */
    public int inFlight(int i) {
        return servers[i].inFlight.get();
    }

    /** How many calls {@link #choose()} gave server {@code i} so far. */
    public long chosen(int i) {
        return servers[i].chosen.sum();
    }

    /** Server {@code i}'s latency estimate now, in nanoseconds (decayed by the time since its last call; 0: none). */
    public double latencyNanos(int i) {
        return decayed(servers[i], clock.getAsLong());
    }

    private static final VarHandle EWMA;
    private static final VarHandle STAMP;
    private static final VarHandle PROGRESS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            EWMA = l.findVarHandle(Server.class, "ewmaNanos", double.class);
            STAMP = l.findVarHandle(Server.class, "stampNanos", long.class);
            PROGRESS = l.findVarHandle(Server.class, "progressNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One server's state, read and written without locks (see the class comment). The estimate's fields change on
     * every call and are accessed in opaque mode through the VarHandles above (atomic, no memory fence); weight and
     * health change rarely and are volatile.
     */
    private static final class Server {
        final AtomicInteger inFlight = new AtomicInteger();
        final LongAdder chosen = new LongAdder();
        volatile double weight = 1;
        volatile boolean usable = true;
        double ewmaNanos;
        long stampNanos;
        /** When a call last finished or the server went from idle to busy. */
        long progressNanos;

        boolean eligible() {
            return usable && weight > 0;
        }
    }
}
