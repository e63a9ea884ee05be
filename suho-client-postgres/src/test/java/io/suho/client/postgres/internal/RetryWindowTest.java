package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class RetryWindowTest {

    @Test
    void theFirstAttemptAlwaysRuns() {
        RetryWindow w = new RetryWindow(0);
        assertThatCode(w::beforeAttempt).doesNotThrowAnyException();
    }

    @Test
    void aRetryInsideTheWindowRuns() {
        RetryWindow w = new RetryWindow(Long.MAX_VALUE);
        w.failed(new SQLException("refused", "08001"));
        assertThatCode(w::beforeAttempt).doesNotThrowAnyException();
    }

    @Test
    void aRetryAfterTheWindowRepeatsTheLastFailureWithoutIo() {
        RetryWindow w = new RetryWindow(-1); // any elapsed time is past it
        SQLException timeout = new SQLException("read timed out", "08006");
        w.failed(timeout);
        assertThatThrownBy(w::beforeAttempt).isSameAs(timeout);
    }
}
