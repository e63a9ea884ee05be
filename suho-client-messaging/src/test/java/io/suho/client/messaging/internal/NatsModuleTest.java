package io.suho.client.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.ResilienceConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NatsModuleTest {

    /**
     * A publish to a hung (SIGSTOPped) server must be answered within 1 s of the hang, counting the time the SDK and
     * a loaded machine add (the request-cleanup sweep runs at the timeout): the store timeout leaves 400 ms for that.
     */
    @Test
    void theDefaultTimeoutLeavesRoomUnderOneSecondForAHungServer() {
        ResilienceConfig defaults = new NatsModule().defaultResilience();
        assertThat(defaults.timeout()).isEqualTo(Duration.ofMillis(600));
    }
}
