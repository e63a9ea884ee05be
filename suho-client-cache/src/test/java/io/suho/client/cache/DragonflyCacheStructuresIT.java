package io.suho.client.cache;

import io.suho.test.StoreKind;

/**
 * The same structures against a real DragonflyDB, from {@code SUHO_DRAGONFLY_URL} (or Testcontainers); skipped with
 * the reason printed when neither is available.
 */
class DragonflyCacheStructuresIT extends CacheStructuresContractIT {
    @Override
    protected StoreKind kind() {
        return StoreKind.DRAGONFLY;
    }
}
