package io.suho.client.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpFailuresTest {

    @Test
    void statusesTheServerDidNotActOnAreUnavailable() {
        for (int status : new int[] {408, 429, 502, 503}) {
            assertThat(HttpFailures.kindOf(status)).as("HTTP %d", status).isEqualTo(FailureKind.UNAVAILABLE);
        }
    }

    @Test
    void aGatewayTimeoutLeavesTheOutcomeUnknown() {
        assertThat(HttpFailures.kindOf(504)).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void otherErrorsAreAnswersAboutTheRequest() {
        for (int status : new int[] {400, 404, 409, 422, 500}) {
            assertThat(HttpFailures.kindOf(status)).as("HTTP %d", status).isEqualTo(FailureKind.OPERATION_ERROR);
        }
    }

    @Test
    void credentialFailuresNameTheKeysToCheck() {
        Failure f = HttpFailures.of(401, "Unauthorized", "suho.vector.password");
        assertThat(f.errorCode()).isEqualTo("401");
        assertThat(f.describe()).isEqualTo("Unauthorized [401]; check suho.vector.password");
    }
}
