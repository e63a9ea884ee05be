package io.suho.client.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * One hash {@code <namespace>:<key>}: fields with typed JSON values, read and written field by field or in batches
 * of one round trip. Use it for a record whose parts change separately (an account's balances per currency, an
 * order book's quantity per price level, a feature-flag set). Get it with {@link CacheClient#hash(String, Class)};
 * give the whole hash a lifetime with {@link CacheClient#expire}. Values use the client's {@code ObjectMapper}; a
 * field holding something that is not JSON of {@code V} fails with a {@link CacheValueException}.
 *
 * <p>Reads, {@link #put} and {@link #putAll} are retried after a connection failure (writing the same values twice
 * leaves the same hash); {@link #putIfAbsent}, {@link #remove} and {@link #increment} are not (their answer would be
 * wrong the second time, or the increment would count twice). Thread-safe; the object holds no connection, create
 * it wherever convenient.
 *
 * @param <V> the values' type
 */
public interface CacheHash<V> {

    /** The key without the namespace. */
    String key();

    /** Sets one field. */
    void put(String field, V value);

    /** Sets every field in one {@code HSET}, atomically. */
    void putAll(Map<String, ? extends V> values);

    /** Sets the field only when it does not exist yet; true when it was set. */
    boolean putIfAbsent(String field, V value);

    /** The field's value, or empty when the field (or the hash) does not exist. */
    Optional<V> get(String field);

    /** The values of the fields that exist, in one round trip, in the order asked for. */
    Map<String, V> get(Collection<String> fields);

    /** Every field and value ({@code HGETALL}); empty when the hash does not exist. Meant for small hashes. */
    Map<String, V> entries();

    /** Removes fields; how many existed. Removing the last field removes the hash. */
    long remove(String... fields);

    /** How many fields the hash has; 0 when it does not exist. */
    long size();

    /**
     * Adds {@code delta} to an integer field ({@code HINCRBY}), creating it at zero; returns the new value. The field
     * then holds a JSON integer, readable through a {@code CacheHash<Long>}. Not retried.
     */
    long increment(String field, long delta);
}
