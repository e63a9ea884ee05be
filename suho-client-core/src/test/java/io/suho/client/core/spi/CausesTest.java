package io.suho.client.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void findsADeeplyWrappedCause() {
        Throwable t = new RuntimeException("a", new IllegalStateException("b", new ConnectException("refused")));
        assertThat(Causes.find(t, ConnectException.class)).hasMessage("refused");
        assertThat(Causes.has(t, SocketTimeoutException.class)).isFalse();
        assertThat(Causes.root(t)).isInstanceOf(ConnectException.class);
    }

    @Test
    void stopsOnACycleInsteadOfLoopingForever() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b); // a -> b -> a -> ...
        assertThat(Causes.find(a, ConnectException.class)).isNull();
        assertThat(Causes.root(a)).isNotNull();
        assertThat(Causes.describe(a)).startsWith("a");
    }

    @Test
    void unwrapsOnlyTransportWrappers() {
        ConnectException refused = new ConnectException("refused");
        assertThat(Causes.unwrap(new CompletionException(new ExecutionException(refused)))).isSameAs(refused);
        RuntimeException driver = new RuntimeException("driver", refused);
        assertThat(Causes.unwrap(driver)).isSameAs(driver);
    }

    @Test
    void describeNamesTheRootCauseADriverWrappedAway() {
        Throwable t = new RuntimeException("Failed to execute request", new ConnectException("Connection refused"));
        assertThat(Causes.describe(t))
                .isEqualTo("Failed to execute request (caused by ConnectException: Connection refused)");
        Throwable same = new RuntimeException("java.net.ConnectException: Connection refused",
                new ConnectException("Connection refused"));
        assertThat(Causes.describe(same)).isEqualTo("java.net.ConnectException: Connection refused");
        assertThat(Causes.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void genericPolicyTellsNotSentFromOutcomeUnknown() {
        assertThat(FailurePolicy.generic(new IOException("x", new ConnectException("refused"))).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(FailurePolicy.generic(new UnknownHostException("db.invalid")).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(FailurePolicy.generic(new SocketTimeoutException("Connect timed out")).kind())
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(FailurePolicy.generic(new SocketTimeoutException("Read timed out")).kind())
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailurePolicy.generic(new IOException("Connection reset")).kind())
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailurePolicy.generic(new IllegalArgumentException("mine")).kind())
                .isEqualTo(FailureKind.CALLER_CODE);
        assertThat(FailurePolicy.generic(new Exception("checked, not I/O")).kind())
                .isEqualTo(FailureKind.OPERATION_ERROR);
    }
}
