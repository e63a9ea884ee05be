package io.suho.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubjectsTest {
    @Test
    void joinsCheckedTokens() {
        assertThat(Subjects.of("orders", "A-17", "filled")).isEqualTo("orders.A-17.filled");
        assertThat(Subjects.token("user:42@eu")).isEqualTo("user:42@eu");
    }

    @Test
    void refusesTokensThatChangeTheSubjectsShape() {
        for (String bad : new String[] {"*", ">", "a.b", "", " ", "a b", "a\tb", "x>", "a\u0000"}) {
            assertThatThrownBy(() -> Subjects.of("orders", bad, "filled")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject token");
        }
        assertThatThrownBy(() -> Subjects.token(null)).hasMessageContaining("null");
        assertThatThrownBy(() -> Subjects.token("x".repeat(129))).hasMessageContaining("…");
        assertThatThrownBy(Subjects::of).hasMessageContaining("at least one");
    }
}
