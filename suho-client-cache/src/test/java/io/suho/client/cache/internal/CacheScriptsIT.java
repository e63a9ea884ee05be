package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.suho.test.RealStoreExtension;
import io.suho.test.StoreKind;
import io.suho.test.StoreServer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The lock and counter scripts' cases the public API cannot produce on demand: an acquisition retried after its
 * answer was lost (same owner, script run twice) must get the same token rather than be refused by its own lock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheScriptsIT {
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> redis;
    String prefix;

    @BeforeAll
    void start(TestInfo info) {
        StoreServer server = RealStoreExtension.require(StoreKind.REDIS, info.getDisplayName());
        RedisURI.Builder uri = RedisURI.Builder.redis(server.host(), server.port());
        if (server.password() != null) {
            if (server.user() != null) {
                uri.withAuthentication(server.user(), server.password());
            } else {
                uri.withPassword(server.password().toCharArray());
            }
        }
        client = RedisClient.create();
        connection = client.connect(uri.build());
        redis = connection.sync();
        prefix = "scripts-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterAll
    void stop() {
        if (redis != null) {
            List<String> left = redis.keys(prefix + ":*");
            if (!left.isEmpty()) {
                redis.del(left.toArray(String[]::new));
            }
            connection.close();
            client.shutdown();
        }
    }

    @Test
    void aRetriedAcquisitionByTheSameOwnerGetsItsOwnTokenBackAndOthersAreRefused() {
        String[] keys = {prefix + ":lock:job", prefix + ":lock-fence:job"};
        List<Object> first = RedisLock.ACQUIRE.run(redis, ScriptOutputType.MULTI, keys, "owner-a", "5000");
        List<Object> retry = RedisLock.ACQUIRE.run(redis, ScriptOutputType.MULTI, keys, "owner-a", "5000");
        List<Object> other = RedisLock.ACQUIRE.run(redis, ScriptOutputType.MULTI, keys, "owner-b", "5000");

        assertThat((Long) first.get(0)).isPositive();
        assertThat(retry).containsExactly(first.get(0), 0L);
        assertThat((Long) other.get(0)).isZero();
        assertThat((Long) other.get(1)).as("the holder's remaining lease").isBetween(1L, 5000L);
        assertThat(redis.get(prefix + ":lock-fence:job")).as("a retry takes no new token").isEqualTo(first.get(0)
                .toString());
    }

    @Test
    void releaseAndExtendCompareTheWholeStoredValue() {
        String[] lock = {prefix + ":lock:cmp"};
        redis.set(lock[0], "owner-a 7");
        Long wrongToken = RedisLock.RELEASE.run(redis, ScriptOutputType.INTEGER, lock, "owner-a 6");
        Long extended = RedisLock.EXTEND.run(redis, ScriptOutputType.INTEGER, lock, "owner-a 7", "9000");
        Long released = RedisLock.RELEASE.run(redis, ScriptOutputType.INTEGER, lock, "owner-a 7");
        assertThat(wrongToken).isZero();
        assertThat(extended).isEqualTo(1L);
        assertThat(released).isEqualTo(1L);
        assertThat(redis.exists(lock[0])).isZero();
    }
}
