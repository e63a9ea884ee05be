package io.suho.client.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDBMultipleException;
import com.arangodb.entity.ErrorEntity;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ArangoFailuresTest {
    private final ArangoFailures f = ArangoFailures.POLICY;

    /** An error answer as the driver builds it from a response body. */
    private static ArangoDBException answer(int status, int errorNum, String message) {
        ErrorEntity e = new ObjectMapper().convertValue(Map.of("code", status, "errorNum", errorNum,
                "errorMessage", message), ErrorEntity.class);
        return new ArangoDBException(e);
    }

    private FailureKind kind(Throwable t) {
        return f.classify(t).kind();
    }

    @Test
    void httpStatusesFollowCoresOneMapping() {
        assertThat(kind(new ArangoDBException("x", 503))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new ArangoDBException("x", 429))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new ArangoDBException("x", 502))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new ArangoDBException("x", 504))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new ArangoDBException("x", 500))).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(new ArangoDBException("x", 400))).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(new ArangoDBException("x", 401))).isEqualTo(FailureKind.OPERATION_ERROR);
        // a conflict without ArangoDB's unique-constraint number is an ordinary answer
        assertThat(kind(new ArangoDBException("x", 409))).isEqualTo(FailureKind.OPERATION_ERROR);
    }

    @Test
    void aUniqueConstraintViolationIsADuplicateKey() {
        Failure dup = f.classify(ArangoDBException.of(answer(409, 1210,
                "unique constraint violated - in index primary of type primary over '_key'; conflicting key: k1")));
        assertThat(dup.kind()).isEqualTo(FailureKind.DUPLICATE_KEY);
        assertThat(dup.errorCode()).isEqualTo("1210");
        assertThat(dup.detail()).startsWith("unique constraint violated");
    }

    @Test
    void theErrorCodeIsArangosErrorNumElseTheStatus() {
        assertThat(f.classify(answer(400, 1501, "syntax error")).errorCode()).isEqualTo("1501");
        assertThat(f.classify(answer(503, 21, "shutting down")).kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(new ArangoDBException("conflict", 409)).errorCode()).isEqualTo("409");
    }

    @Test
    void aRequestRejectedForItsQueueTimeWasNotRun() {
        // the driver reports 21004 as a TimeoutException, but the server never started the request
        ArangoDBException queued = ArangoDBException.of(
                new TimeoutException().initCause(answer(412, 21004, "queue time violated")));
        assertThat(kind(queued)).isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void driverTimeoutsAreUnknownOutcomesAndRefusedHostsWereNotSent() {
        assertThat(kind(ArangoDBException.of(new TimeoutException("request timeout")))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(ArangoDBException.of(new SocketTimeoutException("Read timed out"))))
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(ArangoDBException.of(new ConnectException("refused")))).isEqualTo(FailureKind.UNAVAILABLE);
        Failure noHost = f.classify(ArangoDBException.of("Cannot contact any host!",
                new ArangoDBMultipleException(List.of(new IOException(new ConnectException("Connection refused"))))));
        assertThat(noHost.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(noHost.detail()).contains("cannot contact any host").contains("Connection refused");
        // a write whose connection broke after it left (the driver does not re-send it)
        assertThat(kind(ArangoDBException.of(new IOException("Connection reset")))).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void documentMappingIsAnAnswerAboutTheCallersType() {
        Failure mapping = f.classify(ArangoDBException.of(new DocumentMappingException("cannot map",
                new IOException("bad"))));
        assertThat(mapping.kind()).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(mapping.errorCode()).isEqualTo("MAPPING");
    }

    @Test
    void aBodyThatIsNotJsonIsABrokenPath() {
        Failure garbage = f.classify(ArangoDBException.of(new MalformedResponseException("the answer is not JSON",
                null)));
        assertThat(garbage.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(garbage.errorCode()).isEqualTo("MALFORMED_RESPONSE");
    }

    @Test
    void otherCodeIsTheCallers() {
        assertThat(kind(new IllegalStateException("mine"))).isEqualTo(FailureKind.CALLER_CODE);
        assertThat(kind(new ArangoDBException("the driver's own complaint"))).isEqualTo(FailureKind.OPERATION_ERROR);
    }

    @Test
    void unauthorisedPointsAtTheCredentialSettings() {
        assertThat(f.classify(new ArangoDBException("no", 401)).hint()).contains("suho.graph.password");
        assertThat(f.classify(answer(403, 11, "forbidden")).hint()).contains("ARANGO_PASSWORD");
    }
}
