package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ResilienceConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheModuleTest {

    @Test
    void cacheDefaultsFailFasterAndRetryTheBreakerSoonerThanTheSdkDefaults() {
        ResilienceConfig r = new CacheModule().defaultResilience();
        assertThat(r.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(r.breakerDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(r.maxRetries()).isEqualTo(ResilienceConfig.defaults().maxRetries());
        assertThat(r.breakerFailureThreshold()).isEqualTo(ResilienceConfig.defaults().breakerFailureThreshold());
    }

    @Test
    void reconnectDelayIsCappedShortByDefault() {
        assertThat(new CacheModule().configKeys()).filteredOn(k -> k.name().equals(CacheModule.RECONNECT_MAX_DELAY))
                .singleElement().extracting(ConfigKey::defaultValue).isEqualTo("200ms");
    }
}
