package io.suho.client.cache.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module's connections: one long-lived multiplexed command connection shared by every caller and, on first
 * subscription, one pub/sub connection. Opened at start when the server answers, otherwise on first use (so a cache
 * that is down at start-up does not stop the application); after that Lettuce reconnects on its own. With several
 * hosts configured the first that accepts a connection is used. Thread-safe.
 */
final class RedisConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);

    /** The command connection and its two views, swapped together. */
    record Lines(StatefulRedisConnection<String, String> connection, RedisCommands<String, String> sync,
            RedisAsyncCommands<String, String> async) {
    }

    private final RedisClient client;
    private final Duration connectTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile List<RedisURI> uris;
    private volatile Lines lines;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile Runnable onConnect = () -> { };
    private volatile boolean closed;

    RedisConnections(RedisClient client, List<RedisURI> uris, Duration connectTimeout) {
        this.client = client;
        this.uris = List.copyOf(uris);
        this.connectTimeout = connectTimeout;
    }

    /** Runs after each new command connection is opened (loads scripts). */
    void onConnect(Runnable action) {
        this.onConnect = action;
    }

    /** The command connection, opening it if needed; RedisConnectionException when no host accepts one. */
    Lines lines() {
        Lines l = lines;
        return l != null ? l : open();
    }

    /** The command connection if one is open, else null; never connects. */
    Lines current() {
        return lines;
    }

    private Lines open() {
        boolean locked;
        try {
            locked = lock.tryLock(connectTimeout.toMillis() * Math.max(1, uris.size()) + 100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisConnectionException("interrupted while waiting for the cache connection", e);
        }
        if (!locked) {
            throw new RedisConnectionException("cache connection is still being opened by another call");
        }
        try {
            if (closed) {
                throw new RedisConnectionException("cache client is closed");
            }
            if (lines != null) {
                return lines;
            }
            RedisConnectionException last = null;
            for (RedisURI uri : uris) {
                try {
                    StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8, uri);
                    Lines l = new Lines(c, c.sync(), c.async());
                    lines = l;
                    LOG.info("cache connected to {}:{}", uri.getHost(), uri.getPort());
                    try {
                        onConnect.run();
                    } catch (RuntimeException e) {
                        LOG.debug("cache post-connect step failed: {}", e.toString());
                    }
                    return l;
                } catch (RedisConnectionException e) {
                    last = e;
                }
            }
            throw last != null ? last : new RedisConnectionException("no cache hosts configured");
        } finally {
            lock.unlock();
        }
    }

    /** The pub/sub connection, opened on first use against the host the command connection uses. */
    StatefulRedisPubSubConnection<String, String> pubSub() {
        StatefulRedisPubSubConnection<String, String> p = pubSub;
        if (p != null) {
            return p;
        }
        lock.lock();
        try {
            if (pubSub == null) {
                RedisConnectionException last = null;
                for (RedisURI uri : uris) {
                    try {
                        pubSub = client.connectPubSub(StringCodec.UTF8, uri);
                        break;
                    } catch (RedisConnectionException e) {
                        last = e;
                    }
                }
                if (pubSub == null) {
                    throw last != null ? last : new RedisConnectionException("no cache hosts configured");
                }
            }
            return pubSub;
        } finally {
            lock.unlock();
        }
    }

    /** New endpoints from the hub: drop the current connections so the next call connects to the new hosts. */
    void retarget(List<RedisURI> newUris) {
        lock.lock();
        try {
            List<String> before = uris.stream().map(u -> u.getHost() + ":" + u.getPort()).toList();
            List<String> after = newUris.stream().map(u -> u.getHost() + ":" + u.getPort()).toList();
            if (before.equals(after)) {
                return;
            }
            LOG.info("cache endpoints changed from {} to {}; reconnecting", before, after);
            uris = List.copyOf(newUris);
            Lines old = lines;
            lines = null;
            if (old != null) {
                old.connection().closeAsync();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (pubSub != null) {
                pubSub.close();
                pubSub = null;
            }
            if (lines != null) {
                lines.connection().close();
                lines = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
