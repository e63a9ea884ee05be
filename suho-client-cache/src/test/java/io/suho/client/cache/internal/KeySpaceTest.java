package io.suho.client.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeySpaceTest {
    private final KeySpace keys = new KeySpace("orders", 256);

    @Test
    void userKeysLiveInTheirOwnSubNamespace() {
        assertThat(keys.key("set", "user:42")).isEqualTo("orders:k:user:42");
        assertThat(keys.strip("orders:k:user:42")).isEqualTo("user:42");
    }

    @Test
    void userKeysNamedLikeHelperKeysCannotReachTheHelpersKeySpaces() {
        // a user-controlled key spelled like a session, a lock, a rate limit, the prices or an order book
        for (String[] helper : new String[][] {{"session", "abc"}, {"session-user", "42"}, {"lock", "payout"},
                {"lock-fence", "payout"}, {"ratelimit:login", "ip"}, {"book", "BTC-USD:bid"}}) {
            String helperKey = keys.key("helper", helper[0], helper[1]);
            String spelledLikeIt = helper[0] + ":" + helper[1];
            assertThat(keys.key("delete", spelledLikeIt)).as(spelledLikeIt)
                    .isEqualTo("orders:k:" + spelledLikeIt)
                    .isNotEqualTo(helperKey);
        }
        assertThat(keys.key("delete", "prices")).isEqualTo("orders:k:prices").isNotEqualTo("orders:prices");
        // the helpers themselves still build their keys, outside the user sub-namespace
        assertThat(keys.key("session.get", "session", "abc")).isEqualTo("orders:session:abc");
    }
}
