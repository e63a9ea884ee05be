package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.suho.client.postgres.PostgresException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class PostgresFailuresTest {
    private static final PostgresFailures POLICY = PostgresFailures.POLICY;

    private static FailureKind kind(Throwable t) {
        return POLICY.classify(t).kind();
    }

    private static FailureKind kind(String state) {
        return kind(new SQLException("x", state));
    }

    @Test
    void noConnectionObtainedIsUnavailable() {
        // Hikari's "connection is not available" while the server refuses: nothing was sent
        assertThat(kind(new SQLTransientConnectionException("pool - Connection is not available", "08001",
                new SQLException("Connection to 127.0.0.1:1 refused", "08001", new ConnectException()))))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new SQLTransientConnectionException("pool timeout"))).isEqualTo(FailureKind.UNAVAILABLE);
        // the pool gave up while connects were timing out (a hung server): still nothing sent
        assertThat(kind(new SQLTransientConnectionException("pool", "08001",
                new SQLException("attempt failed", "08001", new SocketTimeoutException("connect timed out")))))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind("08001")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind("08004")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new SQLException("HikariDataSource HikariDataSource (p) has been closed.")))
                .isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void serverRefusingOrEndingTheSessionIsUnavailableNothingApplied() {
        for (String state : new String[] {"57P01", "57P02", "57P03", "53300", "25006"}) {
            assertThat(kind(state)).as(state).isEqualTo(FailureKind.UNAVAILABLE);
        }
    }

    @Test
    void socketTimeoutsAndConnectionsLostMidCallAreTimeouts() {
        assertThat(kind(new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new SocketTimeoutException("Read timed out")))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new EOFException()))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind("08006")).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind("08003")).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new SQLException("io", null, new IOException("Connection reset"))))
                .isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void statementTimeoutIsAServerTimeoutAndADuplicateKeyIsTyped() {
        Failure f = POLICY.classify(new SQLException("canceling statement due to statement timeout", "57014"));
        assertThat(f.kind()).isEqualTo(FailureKind.SERVER_TIMEOUT);
        assertThat(f.errorCode()).isEqualTo("57014");
        assertThat(kind("23505")).isEqualTo(FailureKind.DUPLICATE_KEY);
    }

    @Test
    void loginAndDatabaseErrorsAreOperationErrorsWithAHint() {
        Failure db = POLICY.classify(new SQLTransientConnectionException("pool - Connection is not available",
                "3D000", new SQLException("FATAL: database \"x\" does not exist", "3D000")));
        assertThat(db.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(db.errorCode()).isEqualTo("3D000");
        assertThat(db.hint()).isEqualTo("check suho.postgres.database");
        assertThat(db.describe()).contains("database \"x\" does not exist");
        // Hikari without a state of its own: the nested driver failure's state counts
        Failure login = POLICY.classify(new SQLTransientConnectionException("pool timeout",
                new SQLException("FATAL: password authentication failed for user \"u\"", "28P01")));
        assertThat(login.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(login.hint()).contains("suho.postgres.user").contains("suho.postgres.password");
    }

    @Test
    void everythingElseTheServerSaidIsAnOperationErrorAndCallerCodeIsLeftAlone() {
        assertThat(kind("42601")).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind("23502")).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind("40001")).isEqualTo(FailureKind.OPERATION_ERROR); // retried by inTransaction, not the breaker
        assertThat(kind(new SQLException("no state"))).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(new IllegalStateException("user code"))).isEqualTo(FailureKind.CALLER_CODE);
    }

    @Test
    void operationErrorsArePostgresExceptionsWithSqlStateOperationAndHint() {
        SQLException cause = new SQLException("FATAL: database \"x\" does not exist", "3D000");
        Failure f = POLICY.classify(cause);
        assertThat(POLICY.operationError("select", f, cause)).isInstanceOfSatisfying(PostgresException.class, p -> {
            assertThat(p.sqlState()).isEqualTo("3D000");
            assertThat(p.operation()).isEqualTo("select");
            assertThat(p).hasMessage("postgres select failed [3D000]: FATAL: database \"x\" does not exist;"
                    + " check suho.postgres.database").hasCause(cause);
        });
    }

    @Test
    void thePrimaryIsLostOnlyOnFailuresThatCountAgainstTheBreaker() {
        assertThat(PostgresFailures.primaryLost(new SQLException("x", "08006"))).isTrue();
        assertThat(PostgresFailures.primaryLost(new SQLException("read only", "25006"))).isTrue();
        assertThat(PostgresFailures.primaryLost(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(PostgresFailures.primaryLost(new SQLException("statement timeout", "57014"))).isFalse();
        assertThat(PostgresFailures.primaryLost(new SQLException("dup", "23505"))).isFalse();
        assertThat(PostgresFailures.primaryLost(new SQLException("login", "28P01"))).isFalse();
    }
}
