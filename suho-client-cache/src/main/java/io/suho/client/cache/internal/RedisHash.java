package io.suho.client.cache.internal;

import com.fasterxml.jackson.databind.JavaType;
import io.lettuce.core.KeyValue;
import io.suho.client.cache.CacheHash;
import io.suho.client.core.spi.StoreExecutor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link CacheHash} over {@code HSET}/{@code HGET}/{@code HMGET}/…; values are JSON through the view's mapper. */
final class RedisHash<V> implements CacheHash<V> {
    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final Json json;
    private final JavaType type;
    private final String key;
    private final String stored;

    RedisHash(CacheContext ctx, KeySpace keys, String key, Class<V> valueType) {
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.json = ctx.json();
        this.type = json.type(java.util.Objects.requireNonNull(valueType, "valueType"));
        this.key = key;
        this.stored = keys.key("hash", key);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public void put(String field, V value) {
        String text = json.write("hash.put", label(field(field)), value);
        exec.run("hash.put", true, () -> conns.lines().sync().hset(stored, field, text));
    }

    @Override
    public void putAll(Map<String, ? extends V> values) {
        if (values.isEmpty()) {
            return;
        }
        Map<String, String> encoded = new LinkedHashMap<>(values.size() * 2);
        values.forEach((f, v) -> encoded.put(field(f), json.write("hash.put", label(f), v)));
        exec.run("hash.put", true, () -> conns.lines().sync().hset(stored, encoded));
    }

    @Override
    public boolean putIfAbsent(String field, V value) {
        String text = json.write("hash.putIfAbsent", label(field(field)), value);
        return exec.call("hash.putIfAbsent", false, () -> conns.lines().sync().hsetnx(stored, field, text));
    }

    @Override
    public Optional<V> get(String field) {
        field(field);
        String text = exec.call("hash.get", true, () -> conns.lines().sync().hget(stored, field));
        return text == null ? Optional.empty() : Optional.of(json.read("hash.get", label(field), text, type));
    }

    @Override
    public Map<String, V> get(Collection<String> fields) {
        if (fields.isEmpty()) {
            return Map.of();
        }
        String[] f = fields.stream().map(RedisHash::field).toArray(String[]::new);
        List<KeyValue<String, String>> values = exec.call("hash.get", true, () -> conns.lines().sync().hmget(stored, f));
        Map<String, V> out = new LinkedHashMap<>(values.size() * 2);
        for (KeyValue<String, String> kv : values) {
            if (kv.hasValue()) {
                out.put(kv.getKey(), json.read("hash.get", label(kv.getKey()), kv.getValue(), type));
            }
        }
        return out;
    }

    @Override
    public Map<String, V> entries() {
        Map<String, String> all = exec.call("hash.entries", true, () -> conns.lines().sync().hgetall(stored));
        Map<String, V> out = new LinkedHashMap<>(all.size() * 2);
        all.forEach((f, text) -> out.put(f, json.read("hash.entries", label(f), text, type)));
        return out;
    }

    @Override
    public long remove(String... fields) {
        if (fields.length == 0) {
            return 0;
        }
        for (String f : fields) {
            field(f);
        }
        return exec.call("hash.remove", false, () -> conns.lines().sync().hdel(stored, fields));
    }

    @Override
    public long size() {
        return exec.call("hash.size", true, () -> conns.lines().sync().hlen(stored));
    }

    @Override
    public long increment(String field, long delta) {
        field(field);
        return exec.call("hash.increment", false, () -> conns.lines().sync().hincrby(stored, field, delta));
    }

    /** The key and field a value problem names: {@code key#field}. */
    private String label(String field) {
        return key + "#" + field;
    }

    private static String field(String field) {
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("hash: field must not be " + (field == null ? "null" : "empty"));
        }
        return field;
    }

    @Override
    public String toString() {
        return "CacheHash{" + stored + "}";
    }
}
