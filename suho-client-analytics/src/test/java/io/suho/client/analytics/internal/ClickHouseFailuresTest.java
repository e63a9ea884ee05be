package io.suho.client.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ClientMisconfigurationException;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.DataTransferException;
import com.clickhouse.client.api.ServerException;
import io.suho.client.analytics.AnalyticsQueryException;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

class ClickHouseFailuresTest {
    private static final ClickHouseFailures P = ClickHouseFailures.POLICY;

    private static ServerException server(String message, int http) {
        return new ServerException(0, message, http, null);
    }

    private static FailureKind kind(Throwable t) {
        return P.classify(t).kind();
    }

    @Test
    void serverErrorsAboutTheCallAreOperationErrorsWithTheCodeParsedFromAnOldServersMessage() {
        ServerException syntax = server("Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position "
                + "1: SELEC 1. Expected one of: SYSTEM query, … (transport error: 400)", 400);
        Failure f = P.classify(syntax);
        assertThat(f.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(f.errorCode()).isEqualTo("62");
        assertThat(f.detail()).doesNotContain("Expected one of");
        StoreOperationException e = P.operationError("query", f, syntax);
        assertThat(e).isInstanceOfSatisfying(AnalyticsQueryException.class, q -> {
            assertThat(q.serverCode()).isEqualTo(62);
            assertThat(q.errorCode()).isEqualTo("62");
        });
        assertThat(e.getMessage()).startsWith("analytics query failed [62]: Code: 62")
                .doesNotContain("Expected one of");
        // a bad value in an insert is a 500 on old servers, still an answer about the call
        for (int code : new int[] {27, 26, 6, 60, 47, 117}) {
            assertThat(kind(server("Code: " + code + ", e.displayText() = DB::Exception: …", 500))).as("code %d", code)
                    .isEqualTo(FailureKind.OPERATION_ERROR);
        }
        // a modern server's header code wins over the text
        assertThat(P.classify(new ServerException(60, "Code: 60. DB::Exception: Table x doesn't exist", 404, "q"))
                .errorCode()).isEqualTo("60");
    }

    @Test
    void theServersOwnTimeLimitIsAServerTimeoutAndPerQueryLimitsAreOperationErrors() {
        Failure f = P.classify(server("Code: 159, e.displayText() = DB::Exception: Timeout exceeded: elapsed 1.0 "
                + "seconds, maximum: 1", 500));
        assertThat(f.kind()).isEqualTo(FailureKind.SERVER_TIMEOUT);
        assertThat(f.errorCode()).isEqualTo("159");
        assertThat(kind(server("Code: 160, Estimated query execution time (12 seconds) is too long", 500)))
                .isEqualTo(FailureKind.SERVER_TIMEOUT);
        assertThat(kind(server("Code: 241, Memory limit (for query) exceeded: would use 9.3 GiB", 500)))
                .isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(server("Code: 158, Limit for rows to read exceeded", 500)))
                .isEqualTo(FailureKind.OPERATION_ERROR);
    }

    @Test
    void serverCodesThatRefuseTheCallAreUnavailableAndLostInsertsAreTimeouts() {
        assertThat(kind(server("Code: 202, Too many simultaneous queries", 500))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(server("Code: 241, Memory limit (total) exceeded", 500))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(server("Code: 252, Too many parts", 500))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(server("Code: 319, Unknown status of insert", 500))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(server("Code: 209, Timeout exceeded while reading from socket", 500)))
                .isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void httpStatusesWithoutAClickHouseCodeGoThroughTheSharedMapping() {
        assertThat(P.classify(server("Service Unavailable (transport error: 503)", 503)))
                .extracting(Failure::kind, Failure::errorCode).containsExactly(FailureKind.UNAVAILABLE, "503");
        assertThat(kind(server("<html>bad gateway</html> (transport error: 502)", 502)))
                .isEqualTo(FailureKind.UNAVAILABLE);
        ServerException notFound = server("not found (transport error: 404)", 404);
        assertThat(kind(notFound)).isEqualTo(FailureKind.OPERATION_ERROR);
        // an HTTP status is not a ClickHouse code
        assertThat(P.operationError("query", P.classify(notFound), notFound))
                .isInstanceOfSatisfying(AnalyticsQueryException.class, q -> assertThat(q.serverCode()).isZero());
        Failure auth = P.classify(server("Unauthorized (transport error: 401)", 401));
        assertThat(auth.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(auth.hint()).contains("suho.analytics.user", "suho.analytics.password");
        assertThat(P.classify(server("Code: 516, e.displayText() = DB::Exception: default: Authentication failed",
                500)).hint()).contains("suho.analytics.password");
        // client-v2 turns a proxy's 502/503 into a ConnectException and 504 into "Unexpected result status"
        Failure proxy = P.classify(new ConnectionInitiationException("Query request failed (attempt: 1)",
                new ConnectException("Server returned '503 Service Unavailable'. Check network settings.")));
        assertThat(proxy).extracting(Failure::kind, Failure::errorCode).containsExactly(FailureKind.UNAVAILABLE, "503");
        assertThat(P.classify(new ClientException("Unexpected result status 504")))
                .extracting(Failure::kind, Failure::errorCode).containsExactly(FailureKind.TIMEOUT, "504");
    }

    @Test
    void notSentIsUnavailableAndNoAnswerIsTimeout() {
        assertThat(kind(new ConnectionInitiationException("Query request failed (attempt: 1, duration: 1ms)",
                new ConnectException("Connection refused")))).isEqualTo(FailureKind.UNAVAILABLE);
        // a connect timeout never sent the request
        assertThat(kind(new ConnectionInitiationException("x", new SocketTimeoutException("connect timed out"))))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new DataTransferException("x", new SocketTimeoutException("Read timed out"))))
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new DataTransferException("x", new SocketException("Connection reset"))))
                .isEqualTo(FailureKind.TIMEOUT);
        // client-v2 files "the server closed the connection without answering" under connection initiation
        assertThat(kind(new ConnectionInitiationException("Insert request failed",
                new NoHttpResponseException("127.0.0.1:8123 failed to respond")))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new IOException("Premature end of chunk coded message body"))).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void userCodeIsPassedThroughAndTheDriversOwnErrorsAreOperationErrors() {
        IOException fromMapper = new IOException("the mapper's own I/O");
        ClickHouseFailures.CallerError wrapped = new ClickHouseFailures.CallerError(fromMapper);
        assertThat(kind(wrapped)).isEqualTo(FailureKind.CALLER_CODE);
        assertThat(wrapped.unwrap("query")).isInstanceOf(AnalyticsQueryException.class).hasCause(fromMapper);
        IllegalStateException unchecked = new IllegalStateException("mapper");
        assertThat(new ClickHouseFailures.CallerError(unchecked).unwrap("query")).isSameAs(unchecked);
        assertThat(kind(new IllegalArgumentException("x"))).isEqualTo(FailureKind.CALLER_CODE);
        assertThat(kind(new ClientMisconfigurationException("bad setting"))).isEqualTo(FailureKind.OPERATION_ERROR);
    }

    @Test
    void namesTheRootCauseTheClientWrapsAway() {
        Exception wrapped = new ConnectionInitiationException("Insert request failed (attempt: 1, duration: 1ms, "
                + "queryId: null)",
                new ConnectException("Connect to http://127.0.0.1:8123 failed: Connection refused"));
        assertThat(P.classify(wrapped).detail()).isEqualTo("Insert request failed (attempt: 1, duration: 1ms, "
                + "queryId: null) (caused by ConnectException: Connect to http://127.0.0.1:8123 failed: Connection "
                + "refused)");
    }
}
