package io.suho.client.vector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.suho.client.core.spi.Failure;
import io.suho.client.core.spi.FailureKind;
import io.weaviate.client6.v1.api.WeaviateApiException;
import io.weaviate.client6.v1.api.WeaviateConnectException;
import io.weaviate.client6.v1.api.WeaviateUnsupportedVersionException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class WeaviateFailuresTest {
    private final WeaviateFailures f = WeaviateFailures.POLICY;

    private static WeaviateApiException http(int status) {
        return http(status, "boom");
    }

    private static WeaviateApiException http(int status, String error) {
        return WeaviateApiException.http("GET", "http://w/v1/schema/X", status, error);
    }

    private static WeaviateApiException grpc(Status status) {
        return WeaviateApiException.gRPC(status.withDescription("boom").asRuntimeException());
    }

    private FailureKind kind(Throwable t) {
        return f.classify(t).kind();
    }

    @Test
    void httpStatusesFollowCoresOneMapping() {
        assertThat(kind(http(503))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(http(502))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(http(429))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(http(408))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(http(504))).isEqualTo(FailureKind.TIMEOUT);
        // a 500 is Weaviate's answer about this call: not retried, not counted against the breaker
        assertThat(kind(http(500))).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(http(422))).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(http(401))).isEqualTo(FailureKind.OPERATION_ERROR);
    }

    @Test
    void anInsertWhoseIdExistsIsADuplicateKey() {
        Failure dup = f.classify(http(422, "id '3f1c4f0e-8f55-4b4c-9f61-0c8e0a4f7e21' already exists"));
        assertThat(dup.kind()).isEqualTo(FailureKind.DUPLICATE_KEY);
        assertThat(dup.errorCode()).isEqualTo("422");
        // other "already exists" answers (a collection name) are not a duplicate object
        assertThat(kind(http(422, "class name \"Trades\" already exists"))).isEqualTo(FailureKind.OPERATION_ERROR);
    }

    @Test
    void errorCodesAreTheStatusOrTheGrpcCode() {
        assertThat(f.classify(http(422)).errorCode()).isEqualTo("422");
        assertThat(f.classify(grpc(Status.INVALID_ARGUMENT)).errorCode()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void grpcStatusesMapLikeTheirHttpCounterparts() {
        assertThat(kind(grpc(Status.UNAVAILABLE))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(grpc(Status.RESOURCE_EXHAUSTED))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(grpc(Status.DEADLINE_EXCEEDED))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(grpc(Status.INVALID_ARGUMENT))).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(grpc(Status.UNKNOWN))).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(Status.UNAVAILABLE.asRuntimeException())).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(Status.DEADLINE_EXCEEDED.asRuntimeException())).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void refusedIsNotSentAndAReadTimeoutIsAnUnknownOutcome() {
        assertThat(kind(new ConnectException("Connection refused"))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new RuntimeException(new ConnectException("refused")))).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(kind(new SocketTimeoutException("Read timed out"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new java.net.SocketException("Connection reset"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(kind(new org.apache.hc.client5.http.ConnectTimeoutException("Connect to w:8080 timed out")))
                .isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void aClientThatCouldNotBeOpenedSentNothing() {
        assertThat(kind(new WeaviateConnectException("down"))).isEqualTo(FailureKind.UNAVAILABLE);
        // the liveness check before opening timed out: the caller's request never left
        assertThat(kind(new WeaviateConnectException("not reachable", new HttpTimeoutException("timed out"))))
                .isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void aResponseThatIsNotWeaviateJsonIsABrokenPath() {
        Failure garbage = f.classify(new com.google.gson.JsonSyntaxException("Expected BEGIN_OBJECT but was STRING"));
        assertThat(garbage.kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(garbage.errorCode()).isEqualTo("MALFORMED_RESPONSE");
        assertThat(garbage.detail()).contains("not Weaviate's JSON");
    }

    @Test
    void client6sOwnFailuresAreAnswersAndOtherCodeIsTheCallers() {
        assertThat(kind(new WeaviateUnsupportedVersionException("1.20.0"))).isEqualTo(FailureKind.OPERATION_ERROR);
        assertThat(kind(new IllegalArgumentException("mine"))).isEqualTo(FailureKind.CALLER_CODE);
    }

    @Test
    void unauthorisedPointsAtTheApiKeySetting() {
        assertThat(f.classify(http(401)).hint()).contains("suho.vector.password");
        assertThat(f.classify(grpc(Status.UNAUTHENTICATED)).hint()).contains("WEAVIATE_API_KEY");
    }
}
