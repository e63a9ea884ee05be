package io.suho.client.graph.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDBMultipleException;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ArangoFailuresTest {
    private final ArangoFailures f = new ArangoFailures(ResilienceConfig.defaults());

    @Test
    void statusCodesMapToKinds() {
        assertThat(f.classify(new ArangoDBException("x", 503))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(new ArangoDBException("x", 500))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(new ArangoDBException("x", 504))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(f.classify(new ArangoDBException("x", 400))).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(f.classify(new ArangoDBException("x", 409))).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(f.classify(new ArangoDBException("x", 401))).isEqualTo(FailureKind.CALLER_ERROR);
    }

    @Test
    void driverTimeoutsAndConnectionFailures() {
        assertThat(f.classify(ArangoDBException.of(new TimeoutException("request timeout"))))
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(f.classify(ArangoDBException.of(new ConnectException("refused"))))
                .isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(ArangoDBException.of("Cannot contact any host!",
                new ArangoDBMultipleException(List.of(new IOException("down")))))).isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void documentMappingIsTheCallersProblem() {
        DocumentMappingException e = new DocumentMappingException("cannot map", new IOException("bad"));
        assertThat(f.classify(ArangoDBException.of(e))).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(ArangoFailures.errorCode(e)).isEqualTo("MAPPING");
    }

    @Test
    void callerErrorsCarryTheHttpStatusWhenThereIsNoErrorNum() {
        RuntimeException out = f.translate("insert", new ArangoDBException("conflict", 409), FailureKind.CALLER_ERROR);
        assertThat(out).isInstanceOf(StoreOperationException.class).hasMessageContaining("graph insert failed");
        assertThat(((StoreOperationException) out).errorCode()).isEqualTo("HTTP_409");
    }

    @Test
    void unauthorisedPointsAtTheCredentialSettings() {
        assertThat(f.translate("get", new ArangoDBException("no", 401), FailureKind.CALLER_ERROR))
                .hasMessageContaining("suho.graph.password");
    }

    @Test
    void unavailableAndTimeoutBecomeStoreUnavailable() {
        assertThat(f.translate("get", new ArangoDBException("x", 503), FailureKind.UNAVAILABLE))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("get failed");
        assertThat(f.translate("query", ArangoDBException.of(new TimeoutException("t")), FailureKind.TIMEOUT))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("outcome unknown");
    }
}
