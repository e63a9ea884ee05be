package io.suho.client.cache;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One sorted set {@code <namespace>:<key>}: string members ordered by a {@code double} score, kept on the server.
 * Shaped for leaderboards (scores that only grow through {@link #incrementScore}, read {@link #top}-N with
 * {@link #rank} of one member, bounded with {@link #keepTop}) and for ranges by score (time-ordered ids, price
 * levels: {@link #rangeByScore}). Get it with {@link CacheClient#sortedSet(String)}; give it a lifetime with
 * {@link CacheClient#expire}.
 *
 * <p>Scores are IEEE doubles: exact for integers up to 2^53 and for prices with few decimals as long as they are
 * compared, not summed; keep exact amounts elsewhere (a {@link CacheHash}, or {@link OrderBook} for price levels).
 * Reads and {@link #add}/{@link #addAll} (absolute scores) are retried after a connection failure;
 * {@link #incrementScore}, {@link #remove} and {@link #keepTop} are not. Thread-safe.
 */
public interface CacheSortedSet {

    /** The key without the namespace. */
    String key();

    /** Adds the member or sets its score. */
    void add(String member, double score);

    /** Adds or re-scores every member in one {@code ZADD}. */
    void addAll(Map<String, Double> scores);

    /** Adds {@code delta} to the member's score (a missing member starts at 0); the new score. Not retried. */
    double incrementScore(String member, double delta);

    /** The member's score, or empty when it is not in the set. */
    Optional<Double> score(String member);

    /** The member's place counting from the highest score (0 = first), or empty when it is not in the set. */
    OptionalLong rank(String member);

    /** The {@code n} members with the highest scores, highest first (a leaderboard's top N). */
    List<ScoredMember> top(int n);

    /** The {@code n} members with the lowest scores, lowest first. */
    List<ScoredMember> bottom(int n);

    /**
     * Members with {@code min <= score <= max}, lowest score first, at most {@code limit} of them.
     *
     * @param limit at least 1
     */
    List<ScoredMember> rangeByScore(double min, double max, int limit);

    /** Removes members; how many were in the set. Not retried. */
    long remove(String... members);

    /** Keeps the {@code n} highest-scored members and removes the rest; how many were removed. Not retried. */
    long keepTop(int n);

    /** How many members the set has; 0 when it does not exist. */
    long size();
}
