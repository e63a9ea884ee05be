package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.DataTransferException;
import com.clickhouse.client.api.ServerException;
import io.suho.client.analytics.AnalyticsQueryException;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreUnavailableException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class ClickHouseFailuresTest {

    private static ServerException server(String message, int http) {
        return new ServerException(0, message, http, null);
    }

    @Test
    void callerErrorsCarryTheCodeParsedFromAnOldServersMessage() {
        ServerException syntax = server("Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 1: "
                + "SELEC 1. Expected one of: SYSTEM query, … (transport error: 400)", 400);
        assertThat(ClickHouseFailures.classify(syntax)).isEqualTo(FailureKind.CALLER_ERROR);
        RuntimeException e = ClickHouseFailures.translate("query", syntax, FailureKind.CALLER_ERROR);
        assertThat(e).isInstanceOf(AnalyticsQueryException.class);
        assertThat(((AnalyticsQueryException) e).serverCode()).isEqualTo(62);
        assertThat(((AnalyticsQueryException) e).errorCode()).isEqualTo("62");
        assertThat(e.getMessage()).contains("query").doesNotContain("Expected one of");
        // a bad value in an insert is a 500 on old servers, still the caller's fault
        assertThat(ClickHouseFailures.classify(server("Code: 27, e.displayText() = DB::Exception: Cannot parse input",
                500))).isEqualTo(FailureKind.CALLER_ERROR);
    }

    @Test
    void serverTroubleIsUnavailableOrTimeout() {
        assertThat(ClickHouseFailures.classify(server("Code: 159, Timeout exceeded", 500))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(ClickHouseFailures.classify(server("Code: 202, Too many simultaneous queries", 500)))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(ClickHouseFailures.classify(server("Service Unavailable", 503))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(ClickHouseFailures.classify(new ConnectionInitiationException("x", new ConnectException("refused"))))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(ClickHouseFailures.classify(new DataTransferException("x", new SocketException("Connection reset"))))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(ClickHouseFailures.classify(new DataTransferException("x", new SocketTimeoutException("Read timed out"))))
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(ClickHouseFailures.translate("insert", new SocketTimeoutException("Read timed out"),
                FailureKind.TIMEOUT)).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("outcome unknown");
    }

    @Test
    void userCodeFailuresAreCallerErrors() {
        assertThat(ClickHouseFailures.classify(new ClickHouseFailures.CallerError(new IllegalStateException("mapper"))))
                .isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(ClickHouseFailures.classify(new IllegalArgumentException("x"))).isEqualTo(FailureKind.CALLER_ERROR);
    }

    @Test
    void namesTheRootCauseTheClientWrapsAway() {
        Exception wrapped = new RuntimeException("Insert request failed (attempt: 1, duration: 1ms, queryId: null)",
                new java.net.ConnectException("Connect to http://127.0.0.1:8123 failed: Connection refused"));
        assertThat(ClickHouseFailures.translate("insert", wrapped, FailureKind.UNAVAILABLE).getMessage())
                .isEqualTo("analytics is unavailable: insert failed: Insert request failed (attempt: 1, duration: 1ms, "
                        + "queryId: null) (ConnectException: Connect to http://127.0.0.1:8123 failed: Connection "
                        + "refused)");
        assertThat(ClickHouseFailures.translate("insert", new SocketTimeoutException("Read timed out"),
                FailureKind.TIMEOUT).getMessage()).endsWith("outcome unknown): Read timed out");
    }
}
