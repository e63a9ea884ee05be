package io.suho.client.cache;

/**
 * A member of a {@link CacheSortedSet} with its score.
 *
 * @param member the member (a player id, an order id, a price as text)
 * @param score its score; sets order by it, ties by member in byte order
 */
public record ScoredMember(String member, double score) {
}
