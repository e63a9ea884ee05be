package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeySpaceTest {
    private final KeySpace keys = new KeySpace("orders", 256);

    @Test
    void userKeysCannotReachTheHelpersKeySpaces() {
        for (String reserved : new String[] {"session:abc", "session-user:42", "lock:payout", "lock-fence:payout",
                "ratelimit:login:ip", "prices"}) {
            assertThatThrownBy(() -> keys.key("delete", reserved)).as(reserved)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delete")
                    .hasMessageContaining("sessions, locks");
        }
        assertThat(keys.key("set", "sessions-report")).isEqualTo("orders:sessions-report");
        assertThat(keys.key("set", "prices-eu")).isEqualTo("orders:prices-eu");
        // the helpers themselves still build their keys
        assertThat(keys.key("session.get", "session", "abc")).isEqualTo("orders:session:abc");
    }
}
