package io.suho.client.cache.internal;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.suho.client.cache.Session;
import io.suho.client.cache.SessionStore;
import io.suho.client.core.spi.StoreExecutor;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Sessions as hashes with a sliding TTL plus a per-user index set. Scripts only touch the keys they declare, as
 * DragonflyDB requires; where a step needs a key only known from data (the user of a session) it is a second command.
 */
final class RedisSessionStore implements SessionStore {
    static final String USER_ID = "userId";
    static final String CREATED = "createdAt";
    static final String LAST_SEEN = "lastSeen";
    static final String ATTR = "attr.";

    // KEYS: session hash, user index set; ARGV: ttl ms, session id, field/value pairs...
    static final LuaScript CREATE = new LuaScript("session-create", """
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return 1
            """);

    // KEYS: session hash; ARGV: ttl ms, now ms. Returns the user id, or nil when the session is gone.
    static final LuaScript TOUCH = new LuaScript("session-touch", """
            if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 1 then
              redis.call('HSET', KEYS[1], 'lastSeen', ARGV[2])
              return redis.call('HGET', KEYS[1], 'userId')
            end
            return false
            """);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CacheContext ctx;
    private final KeySpace keys;
    private final StoreExecutor exec;
    private final RedisConnections conns;
    private final Duration ttl;
    private final long ttlMillis;

    RedisSessionStore(CacheContext ctx, KeySpace keys, Duration ttl) {
        this.ctx = ctx;
        this.keys = keys;
        this.exec = ctx.executor();
        this.conns = ctx.connections();
        this.ttl = ttl;
        this.ttlMillis = RedisCacheClient.millis("sessions", ttl);
    }

    @Override
    public Duration ttl() {
        return ttl;
    }

    @Override
    public SessionStore withTtl(Duration ttl) {
        return new RedisSessionStore(ctx, keys, ttl);
    }

    private String sessionKey(String op, String id) {
        return keys.key(op, "session", id);
    }

    private String userKey(String op, String userId) {
        return keys.key(op, "session-user", userId);
    }

    @Override
    public Session create(String userId, Map<String, String> attributes) {
        String userKey = userKey("session.create", userId);
        Map<String, String> attrs = attributes == null ? Map.of() : attributes;
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String sessionKey = sessionKey("session.create", id);
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        List<String> args = new ArrayList<>(6 + attrs.size() * 2);
        args.add(Long.toString(ttlMillis));
        args.add(id);
        args.add(USER_ID);
        args.add(userId);
        args.add(CREATED);
        args.add(Long.toString(now.toEpochMilli()));
        args.add(LAST_SEEN);
        args.add(Long.toString(now.toEpochMilli()));
        attrs.forEach((k, v) -> {
            Objects.requireNonNull(k, "session.create: attribute name");
            Objects.requireNonNull(v, () -> "session.create: attribute '" + k + "' is null");
            args.add(ATTR + k);
            args.add(v);
        });
        String[] keyArr = {sessionKey, userKey};
        String[] argArr = args.toArray(String[]::new);
        exec.call("session.create", false, () -> CREATE.<Long>run(conns.lines().sync(), ScriptOutputType.INTEGER,
                keyArr, argArr));
        return new Session(id, userId, now, now, attrs);
    }

    @Override
    public Optional<Session> get(String sessionId) {
        String key = sessionKey("session.get", sessionId);
        Map<String, String> h = exec.call("session.get", true, () -> conns.lines().sync().hgetall(key));
        if (h == null || h.isEmpty() || !h.containsKey(USER_ID)) {
            return Optional.empty();
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        h.forEach((k, v) -> {
            if (k.startsWith(ATTR)) {
                attrs.put(k.substring(ATTR.length()), v);
            }
        });
        return Optional.of(new Session(sessionId, h.get(USER_ID), instant(h.get(CREATED)), instant(h.get(LAST_SEEN)),
                attrs));
    }

    private static Instant instant(String millis) {
        try {
            return millis == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }

    @Override
    public boolean touch(String sessionId) {
        String key = sessionKey("session.touch", sessionId);
        String[] keyArr = {key};
        return exec.call("session.touch", false, () -> {
            String userId = TOUCH.run(conns.lines().sync(), ScriptOutputType.VALUE, keyArr,
                    Long.toString(ttlMillis), Long.toString(System.currentTimeMillis()));
            if (userId == null) {
                return false;
            }
            // every member's TTL is at most ttl from now, so the index outlives them all
            conns.lines().sync().pexpire(userKey("session.touch", userId), ttlMillis);
            return true;
        });
    }

    @Override
    public boolean revoke(String sessionId) {
        String key = sessionKey("session.revoke", sessionId);
        return exec.call("session.revoke", false, () -> {
            String userId = conns.lines().sync().hget(key, USER_ID);
            RedisAsyncCommands<String, String> async = conns.lines().async();
            RedisFuture<Long> del = async.del(key);
            RedisFuture<Long> unindexed = userId == null ? null
                    : async.srem(userKey("session.revoke", userId), sessionId);
            boolean existed = del.get() > 0;
            if (unindexed != null) {
                unindexed.get();
            }
            return existed;
        });
    }

    @Override
    public int revokeAll(String userId) {
        String userKey = userKey("session.revokeAll", userId);
        return exec.call("session.revokeAll", false, () -> {
            Set<String> ids = conns.lines().sync().smembers(userKey);
            if (ids.isEmpty()) {
                return 0;
            }
            String[] sessionKeys = ids.stream().map(id -> sessionKey("session.revokeAll", id)).toArray(String[]::new);
            RedisAsyncCommands<String, String> async = conns.lines().async();
            RedisFuture<Long> deleted = async.del(sessionKeys);
            // SREM of exactly these members: a session created meanwhile keeps its index entry
            RedisFuture<Long> removed = async.srem(userKey, ids.toArray(String[]::new));
            removed.get();
            return deleted.get().intValue();
        });
    }
}
