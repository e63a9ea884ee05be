package io.suho.client.cache;

import io.suho.test.StoreKind;

/** Counters, hashes, sorted sets, order books and locks against Redis 7 from the local stack. */
class RedisCacheStructuresIT extends CacheStructuresContractIT {
    @Override
    protected StoreKind kind() {
        return StoreKind.REDIS;
    }
}
