package io.suho.client.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreUnavailableException;
import io.suho.client.postgres.PostgresException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class PostgresFailuresTest {

    private static FailureKind kind(String state) {
        return PostgresFailures.classify(new SQLException("x", state));
    }

    @Test
    void connectionAndShutdownStatesAreUnavailable() {
        assertThat(kind("08006")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind("08001")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind("57P01")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind("57P02")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind("57P03")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind("53300")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind("25006")).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(PostgresFailures.classify(new SQLTransientConnectionException("pool timeout")))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(PostgresFailures.classify(new SQLException("refused", "08001", new ConnectException())))
                .isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void socketAndStatementTimeoutsAreTimeouts() {
        assertThat(PostgresFailures.classify(new SQLException("io", "08006", new SocketTimeoutException())))
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind("57014")).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void everythingElseIsTheCallersError() {
        assertThat(kind("42601")).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(kind("23505")).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(kind("40001")).isEqualTo(FailureKind.CALLER_ERROR); // retried by inTransaction, not the breaker
        assertThat(PostgresFailures.classify(new IllegalStateException("user code"))).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(PostgresFailures.classify(new SQLTransientConnectionException("pool", "08001",
                new SQLException("database \"x\" does not exist", "3D000")))).isEqualTo(FailureKind.CALLER_ERROR);
    }

    @Test
    void translatesWithSqlStateAndOperation() {
        RuntimeException e = PostgresFailures.translate("insert", new SQLException("dup", "23505"),
                FailureKind.CALLER_ERROR, ResilienceConfig.defaults());
        assertThat(e).isInstanceOfSatisfying(PostgresException.class, p -> {
            assertThat(p.sqlState()).isEqualTo("23505");
            assertThat(p.operation()).isEqualTo("insert");
        });
        assertThat(PostgresFailures.translate("select", new SQLException("gone", "57P01"), FailureKind.UNAVAILABLE,
                ResilienceConfig.defaults())).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("57P01");
        IllegalStateException mine = new IllegalStateException("mine");
        assertThat(PostgresFailures.translate("transaction", mine, FailureKind.CALLER_ERROR,
                ResilienceConfig.defaults())).isSameAs(mine);
    }
}
