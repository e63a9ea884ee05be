package io.suho.client.cache.internal;

import io.lettuce.core.ScriptOutputType;
import io.suho.client.cache.CacheLock;
import io.suho.client.cache.LockLease;
import io.suho.client.core.spi.StoreExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link CacheLock}: the lock key holds {@code "<owner> <token>"} with the lease as expiry; the token comes from a
 * per-name counter in the same script. Release and extend compare the whole stored value.
 */
final class RedisLock implements CacheLock {
    static final Duration FIRST_PAUSE = Duration.ofMillis(5);
    static final Duration MAX_PAUSE = Duration.ofMillis(200);

    // KEYS: lock, fence counter; ARGV: owner, lease ms. Returns {token, 0} when acquired (or already held by this
    // owner: a retried call), {0, remaining ms of the holder} when another owner holds it.
    static final LuaScript ACQUIRE = new LuaScript("lock-acquire", """
            local v = redis.call('GET', KEYS[1])
            if v then
              local sep = string.find(v, ' ', 1, true)
              if sep and string.sub(v, 1, sep - 1) == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return {tonumber(string.sub(v, sep + 1)), 0}
              end
              return {0, redis.call('PTTL', KEYS[1])}
            end
            local t = redis.call('INCR', KEYS[2])
            redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. t, 'PX', ARGV[2])
            return {t, 0}
            """);

    // KEYS: lock; ARGV: the lease's stored value. 1 when deleted.
    static final LuaScript RELEASE = new LuaScript("lock-release", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    // KEYS: lock; ARGV: the lease's stored value, new lease ms. 1 when extended.
    static final LuaScript EXTEND = new LuaScript("lock-extend", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """);

    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final String name;
    private final Duration lease;
    private final String leaseMillis;
    private final String[] keys;

    RedisLock(CacheContext ctx, KeySpace keys, String name, Duration lease) {
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.name = name;
        this.lease = Objects.requireNonNull(lease, "lease");
        this.leaseMillis = Long.toString(RedisCacheClient.millis("lock '" + name + "'", lease));
        this.keys = new String[] {keys.key("lock", "lock", name), keys.key("lock", "lock-fence", name)};
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration lease() {
        return lease;
    }

    @Override
    public Optional<LockLease> tryAcquire() {
        String owner = UUID.randomUUID().toString();
        long[] r = attempt(owner);
        return r[0] > 0 ? Optional.of(new Lease(owner, r[0])) : Optional.empty();
    }

    @Override
    public Optional<LockLease> tryAcquire(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + Objects.requireNonNull(wait, "wait").toNanos();
        String owner = UUID.randomUUID().toString(); // one owner for every attempt: a retried attempt is recognised
        long pause = FIRST_PAUSE.toNanos();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for lock '" + name + "'");
            }
            long[] r = attempt(owner);
            if (r[0] > 0) {
                return Optional.of(new Lease(owner, r[0]));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            long jittered = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
            long holderLeft = r[1] > 0 ? TimeUnit.MILLISECONDS.toNanos(r[1]) : jittered;
            TimeUnit.NANOSECONDS.sleep(Math.max(1, Math.min(Math.min(jittered, holderLeft), left)));
            pause = Math.min(pause * 2, MAX_PAUSE.toNanos());
        }
    }

    /** {token, 0} when acquired, {0, holder's remaining ms} when not. */
    private long[] attempt(String owner) {
        List<Object> r = exec.call("lock.acquire", true,
                () -> ACQUIRE.run(conns.lines().sync(), ScriptOutputType.MULTI, keys, owner, leaseMillis));
        return new long[] {(Long) r.get(0), (Long) r.get(1)};
    }

    @Override
    public String toString() {
        return "CacheLock{" + keys[0] + ", lease=" + lease + "}";
    }

    private final class Lease implements LockLease {
        private final String owner;
        private final long token;
        private final String value;

        Lease(String owner, long token) {
            this.owner = owner;
            this.token = token;
            this.value = owner + " " + token;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String owner() {
            return owner;
        }

        @Override
        public long fencingToken() {
            return token;
        }

        @Override
        public boolean held() {
            return value.equals(exec.call("lock.held", true, () -> conns.lines().sync().get(keys[0])));
        }

        @Override
        public boolean extend(Duration newLease) {
            String px = Long.toString(RedisCacheClient.millis("lock '" + name + "' extend", newLease));
            String[] k = {keys[0]};
            Long r = exec.call("lock.extend", true,
                    () -> EXTEND.run(conns.lines().sync(), ScriptOutputType.INTEGER, k, value, px));
            return r == 1L;
        }

        @Override
        public boolean release() {
            String[] k = {keys[0]};
            Long r = exec.call("lock.release", false,
                    () -> RELEASE.run(conns.lines().sync(), ScriptOutputType.INTEGER, k, value));
            return r == 1L;
        }

        @Override
        public void close() {
            release();
        }

        @Override
        public String toString() {
            return "LockLease{" + name + ", token=" + token + "}";
        }
    }
}
