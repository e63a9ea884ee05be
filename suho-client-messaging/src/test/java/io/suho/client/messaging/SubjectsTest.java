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

    @Test
    void publishSubjectsAreOneConcreteSubject() {
        for (String ok : new String[] {"orders", "orders.A-17.filled", "_INBOX.abc", "$JS.API.INFO", "prices.btc-usd"}) {
            assertThat(Subjects.publishSubject(ok)).isEqualTo(ok);
        }
        assertRefused(() -> Subjects.publishSubject("orders.*"), "orders.*", "'*' at index 7 is a wildcard");
        assertRefused(() -> Subjects.publishSubject("orders.>"), "orders.>", "'>' at index 7 is a wildcard");
        assertRefused(() -> Subjects.publishSubject("orders.a*b"), "orders.a*b", "wildcard");
        assertRefused(() -> Subjects.publishSubject("orders..filled"), "orders..filled", "empty token");
        assertRefused(() -> Subjects.publishSubject(".orders"), ".orders", "empty token");
        assertRefused(() -> Subjects.publishSubject("orders."), "orders.", "empty token");
        assertRefused(() -> Subjects.publishSubject("orders.A 17"), "orders.A 17", "whitespace");
        assertRefused(() -> Subjects.publishSubject("orders.A\t17"), "orders.A", "whitespace or a control character");
        assertRefused(() -> Subjects.publishSubject("orders\r\nPUB x 1"), "orders", "control character at index 6");
        assertThatThrownBy(() -> Subjects.publishSubject("")).hasMessage("NATS publish subject must not be empty");
        assertThatThrownBy(() -> Subjects.publishSubject(null)).hasMessage("NATS publish subject must not be null");
    }

    @Test
    void subscribeSubjectsTakeWildcardsOnlyAsWholeTokens() {
        for (String ok : new String[] {"orders", "orders.*", "orders.*.filled", "orders.>", "*.>", ">", "*"}) {
            assertThat(Subjects.subscribeSubject(ok)).isEqualTo(ok);
        }
        assertRefused(() -> Subjects.subscribeSubject("orders.a*"), "orders.a*", "token 'a*' mixes a wildcard");
        assertRefused(() -> Subjects.subscribeSubject("orders.>x"), "orders.>x", "token '>x' mixes a wildcard");
        assertRefused(() -> Subjects.subscribeSubject("orders.>.filled"), "orders.>.filled",
                "'>' must be the last token");
        assertRefused(() -> Subjects.subscribeSubject("orders..*"), "orders..*", "empty token");
        assertRefused(() -> Subjects.subscribeSubject("orders. *"), "orders. *", "whitespace");
    }

    @Test
    void specsCheckTheirSubjects() {
        assertRefused(() -> StreamSpec.of("ORDERS", "orders.>", "fills.a*"), "fills.a*", "mixes a wildcard");
        assertRefused(() -> PullConsumerSpec.of("ORDERS", "booker").withFilterSubject("orders..x"), "orders..x",
                "empty token");
        assertRefused(() -> PullConsumerSpec.of("ORDERS", "booker").withDeadLetterSubject("dlq.*"), "dlq.*",
                "wildcard");
        assertThat(PullConsumerSpec.of("ORDERS", "booker").withFilterSubject("orders.*.filled").filterSubject())
                .isEqualTo("orders.*.filled");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String subject,
            String rule) {
        assertThatThrownBy(call).as(subject).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + subject).hasMessageContaining(rule);
    }
}
