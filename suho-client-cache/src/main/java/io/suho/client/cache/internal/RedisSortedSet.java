package io.suho.client.cache.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.suho.client.cache.CacheSortedSet;
import io.suho.client.cache.ScoredMember;
import io.suho.client.core.spi.StoreExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link CacheSortedSet} over the {@code Z*} commands. */
final class RedisSortedSet implements CacheSortedSet {
    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final String key;
    private final String stored;

    RedisSortedSet(CacheContext ctx, KeySpace keys, String key) {
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.key = key;
        this.stored = keys.key("sortedSet", key);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public void add(String member, double score) {
        member(member);
        score(score);
        exec.run("sortedSet.add", true, () -> conns.lines().sync().zadd(stored, score, member));
    }

    @Override
    public void addAll(Map<String, Double> scores) {
        if (scores.isEmpty()) {
            return;
        }
        Object[] pairs = new Object[scores.size() * 2];
        int i = 0;
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            pairs[i++] = score(e.getValue());
            pairs[i++] = member(e.getKey());
        }
        exec.run("sortedSet.add", true, () -> conns.lines().sync().zadd(stored, pairs));
    }

    @Override
    public double incrementScore(String member, double delta) {
        member(member);
        score(delta);
        return exec.call("sortedSet.incrementScore", false, () -> conns.lines().sync().zincrby(stored, delta, member));
    }

    @Override
    public Optional<Double> score(String member) {
        member(member);
        return Optional.ofNullable(exec.call("sortedSet.score", true, () -> conns.lines().sync().zscore(stored, member)));
    }

    @Override
    public OptionalLong rank(String member) {
        member(member);
        Long r = exec.call("sortedSet.rank", true, () -> conns.lines().sync().zrevrank(stored, member));
        return r == null ? OptionalLong.empty() : OptionalLong.of(r);
    }

    @Override
    public List<ScoredMember> top(int n) {
        count("top", n);
        return members(exec.call("sortedSet.top", true,
                () -> conns.lines().sync().zrevrangeWithScores(stored, 0, n - 1L)));
    }

    @Override
    public List<ScoredMember> bottom(int n) {
        count("bottom", n);
        return members(exec.call("sortedSet.bottom", true,
                () -> conns.lines().sync().zrangeWithScores(stored, 0, n - 1L)));
    }

    @Override
    public List<ScoredMember> rangeByScore(double min, double max, int limit) {
        count("rangeByScore", limit);
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("sortedSet.rangeByScore: min and max must be numbers, were " + min
                    + " and " + max);
        }
        return members(exec.call("sortedSet.rangeByScore", true, () -> conns.lines().sync()
                .zrangebyscoreWithScores(stored, Range.create(min, max), Limit.create(0, limit))));
    }

    @Override
    public long remove(String... members) {
        if (members.length == 0) {
            return 0;
        }
        for (String m : members) {
            member(m);
        }
        return exec.call("sortedSet.remove", false, () -> conns.lines().sync().zrem(stored, members));
    }

    @Override
    public long keepTop(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("sortedSet.keepTop: n must be at least 0, was " + n);
        }
        // ranks count from the lowest score: remove all but the last n
        return exec.call("sortedSet.keepTop", false,
                () -> conns.lines().sync().zremrangebyrank(stored, 0, -(n + 1L)));
    }

    @Override
    public long size() {
        return exec.call("sortedSet.size", true, () -> conns.lines().sync().zcard(stored));
    }

    private static List<ScoredMember> members(List<ScoredValue<String>> values) {
        List<ScoredMember> out = new ArrayList<>(values.size());
        for (ScoredValue<String> v : values) {
            out.add(new ScoredMember(v.getValue(), v.getScore()));
        }
        return out;
    }

    private static String member(String member) {
        if (member == null || member.isEmpty()) {
            throw new IllegalArgumentException("sortedSet: member must not be " + (member == null ? "null" : "empty"));
        }
        return member;
    }

    private static double score(Double score) {
        if (score == null || score.isNaN()) {
            throw new IllegalArgumentException("sortedSet: score must be a number, was " + score);
        }
        return score;
    }

    private static void count(String op, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("sortedSet." + op + ": count must be at least 1, was " + n);
        }
    }

    @Override
    public String toString() {
        return "CacheSortedSet{" + stored + "}";
    }
}
