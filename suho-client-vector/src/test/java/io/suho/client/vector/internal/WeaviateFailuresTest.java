package io.suho.client.vector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.suho.client.core.ResilienceConfig;
import io.suho.client.core.StoreExecutor.FailureKind;
import io.suho.client.core.StoreOperationException;
import io.suho.client.core.StoreUnavailableException;
import io.weaviate.client6.v1.api.WeaviateApiException;
import io.weaviate.client6.v1.api.WeaviateConnectException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class WeaviateFailuresTest {
    private final WeaviateFailures f = new WeaviateFailures(ResilienceConfig.defaults());

    private static WeaviateApiException http(int status) {
        return WeaviateApiException.http("GET", "http://w/v1/schema/X", status, "boom");
    }

    private static WeaviateApiException grpc(Status status) {
        return WeaviateApiException.gRPC(status.withDescription("boom").asRuntimeException());
    }

    @Test
    void serverSideHttpFailuresCountAgainstTheBreaker() {
        assertThat(f.classify(http(503))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(http(500))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(http(429))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(http(504))).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void requestErrorsAreTheCallers() {
        assertThat(f.classify(http(422))).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(f.classify(http(401))).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(f.classify(http(501))).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(f.classify(grpc(Status.INVALID_ARGUMENT))).isEqualTo(FailureKind.CALLER_ERROR);
        assertThat(f.classify(grpc(Status.UNKNOWN))).isEqualTo(FailureKind.CALLER_ERROR);
    }

    @Test
    void grpcTransportStatesMapToUnavailableOrTimeout() {
        assertThat(f.classify(grpc(Status.UNAVAILABLE))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(grpc(Status.RESOURCE_EXHAUSTED))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(grpc(Status.DEADLINE_EXCEEDED))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(f.classify(Status.UNAVAILABLE.asRuntimeException())).isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void networkFailuresAreUnavailableOrTimeouts() {
        assertThat(f.classify(new WeaviateConnectException("down"))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(new RuntimeException(new ConnectException("refused")))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(f.classify(new SocketTimeoutException("read timed out"))).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void aResponseThatIsNotWeaviateJsonIsABrokenPath() {
        Throwable garbage = new com.google.gson.JsonSyntaxException("Expected BEGIN_OBJECT but was STRING");
        assertThat(f.classify(garbage)).isEqualTo(FailureKind.UNAVAILABLE);
        RuntimeException out = f.translate("get", garbage, FailureKind.UNAVAILABLE);
        assertThat(out).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("not Weaviate's JSON");
    }

    @Test
    void callerErrorsCarryTheStatusAsErrorCode() {
        RuntimeException out = f.translate("upsert", http(422), FailureKind.CALLER_ERROR);
        assertThat(out).isInstanceOf(StoreOperationException.class).hasMessageContaining("vector upsert failed");
        assertThat(((StoreOperationException) out).errorCode()).isEqualTo("HTTP_422");
        RuntimeException grpcOut = f.translate("search.nearVector", grpc(Status.INVALID_ARGUMENT),
                FailureKind.CALLER_ERROR);
        assertThat(((StoreOperationException) grpcOut).errorCode()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void unauthorisedPointsAtTheApiKeySetting() {
        assertThat(f.translate("get", http(401), FailureKind.CALLER_ERROR))
                .hasMessageContaining("suho.vector.password");
    }

    @Test
    void timeoutsSayTheOutcomeIsUnknown() {
        assertThat(f.translate("upsert", grpc(Status.DEADLINE_EXCEEDED), FailureKind.TIMEOUT))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("outcome unknown");
    }
}
