package io.suho.client.cache;

import io.suho.test.StoreKind;

/** The cache contract against Redis 7 (the local stack's stand-in for DragonflyDB, same protocol). */
class RedisCacheIT extends CacheContractIT {
    @Override
    protected StoreKind kind() {
        return StoreKind.REDIS;
    }
}
